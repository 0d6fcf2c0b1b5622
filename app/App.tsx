import { ThemedLayout, useNotificationProvider, type RefineThemedLayoutSiderProps } from "@refinedev/antd";
import { Authenticated, CanAccess, Refine } from "@refinedev/core";
import routerProvider, { CatchAllNavigate, NavigateToResource, UnsavedChangesNotifier } from "@refinedev/react-router";
import { App as AntdApp, ConfigProvider } from "antd";
import enUS from "antd/es/locale/en_US";
import zhCN from "antd/es/locale/zh_CN";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Outlet, Route, Routes } from "react-router";
import { AppHeader } from "./components/AppHeader";
import { AppSider } from "./components/AppSider";
import { AppTitle } from "./components/AppTitle";
import { DocumentTitle } from "./components/DocumentTitle";
import { Forbidden, NotFound } from "./components/Results";
import { ApprovalsPage } from "./pages/approvals";
import { SegmentList } from "./pages/segments/list";
import { SegmentShow } from "./pages/segments/show";
import { CarePage } from "./pages/care";
import { CampaignFormPage } from "./pages/campaigns/form";
import { CampaignList } from "./pages/campaigns/list";
import { CampaignShow } from "./pages/campaigns/show";
import { NewRequestPage } from "./pages/approvals/NewRequestPage";
import { FlowEditorPage } from "./pages/approvals/flows/FlowEditorPage";
import { FlowListPage } from "./pages/approvals/flows/FlowListPage";
import { AuditLogList } from "./pages/audit-log/list";
import { ApiKeyList } from "./pages/api-keys/list";
import { ImportPage } from "./pages/imports/ImportPage";
import { BenefitDefinitionList } from "./pages/benefits/definitions/list";
import { BenefitDefinitionShow } from "./pages/benefits/definitions/show";
import { CardList } from "./pages/cards/list";
import { CounterPage } from "./pages/counter";
import { CardShow } from "./pages/cards/show";
import { BusinessUnitCreate } from "./pages/business-units/create";
import { BusinessUnitEdit } from "./pages/business-units/edit";
import { BusinessUnitList } from "./pages/business-units/list";
import { DashboardsPage } from "./pages/dashboards";
import { DashboardBuilderPage } from "./pages/dashboards/builder";
import { DashboardShow } from "./pages/dashboards/show";
import { ReportsPage } from "./pages/reports";
import { SettlementPage } from "./pages/settlement";
import { HomePage } from "./pages/home";
import { LoginPage } from "./pages/login";
import { MemberList } from "./pages/members/list";
import { MemberCreate } from "./pages/members/create";
import { MemberEdit } from "./pages/members/edit";
import { MemberShow } from "./pages/members/show";
import { StaffList } from "./pages/staff/list";
import { TierCreate } from "./pages/tiers/create";
import { TierEdit } from "./pages/tiers/edit";
import { TierList } from "./pages/tiers/list";
import { RuleList } from "./pages/rules/list";
import { RuleShow } from "./pages/rules/show";
import { accessControlProvider } from "./providers/access-control-provider";
import { authProvider } from "./providers/auth-provider";
import { useI18nProvider } from "./providers/i18n-provider";
import { dataProvider } from "./providers/data-provider";
import { queryClient } from "./providers/query-client";
import { resources } from "./resources";
import { NotificationTemplatesPage } from "./pages/messaging/templates";
import { WebhooksPage } from "./pages/messaging/webhooks";
import { BuilderRoutes } from "./builder/BuilderRoutes";
import { EntityRoutes, entityDataProvider, useEntityResources } from "./runtime";

/** Entity pages (app/runtime) read and write through their own provider. */
const dataProviders = { default: dataProvider, entities: entityDataProvider };

const Sider = (props: RefineThemedLayoutSiderProps) => <AppSider {...props} fixed />;

/** Signed-in shell: menu filtered by the access matrix; pages the role may not open show 403. */
function Shell() {
  return (
    <Authenticated key="shell" fallback={<CatchAllNavigate to="/login" />}>
      <ThemedLayout Header={AppHeader} Title={AppTitle} Sider={Sider}>
        <CanAccess fallback={<Forbidden />}>
          <Outlet />
        </CanAccess>
      </ThemedLayout>
    </Authenticated>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  const i18nProvider = useI18nProvider();
  const allResources = useEntityResources(resources);

  return (
    <BrowserRouter>
      <ConfigProvider locale={i18n.language === "en" ? enUS : zhCN}>
        <AntdApp>
          <Refine
            dataProvider={dataProviders}
            routerProvider={routerProvider}
            authProvider={authProvider}
            accessControlProvider={accessControlProvider}
            i18nProvider={i18nProvider}
            notificationProvider={useNotificationProvider}
            resources={allResources}
            options={{ reactQuery: { clientConfig: queryClient }, disableTelemetry: true, warnWhenUnsavedChanges: true, title: { text: t("app.title") } }}
          >
            <Routes>
              <Route element={<Shell />}>
                <Route index element={<HomePage />} />
                <Route path="/members">
                  <Route index element={<MemberList />} />
                  <Route path="create" element={<MemberCreate />} />
                  <Route path="edit/:id" element={<MemberEdit />} />
                  <Route path="show/:id" element={<MemberShow />} />
                </Route>
                <Route path="/counter" element={<CounterPage />} />
                <Route path="/benefits">
                  <Route index element={<BenefitDefinitionList />} />
                  <Route path=":key" element={<BenefitDefinitionShow />} />
                </Route>
                <Route path="/segments">
                  <Route index element={<SegmentList />} />
                  <Route path=":key" element={<SegmentShow />} />
                </Route>
                <Route path="/campaigns" element={<CanAccess resource="campaigns" action="list" fallback={<Forbidden />}><Outlet /></CanAccess>}>
                  <Route index element={<CampaignList />} />
                  <Route path="new" element={<CanAccess resource="campaigns" action="create" fallback={<Forbidden />}><CampaignFormPage /></CanAccess>} />
                  <Route path=":id" element={<CampaignShow />} />
                  <Route path=":id/edit" element={<CampaignFormPage />} />
                </Route>
                <Route path="/care" element={<CarePage />} />
                <Route path="/cards">
                  <Route index element={<CardList />} />
                  <Route path="show/:id" element={<CardShow />} />
                </Route>
                <Route path="/business-units">
                  <Route index element={<BusinessUnitList />} />
                  <Route path="create" element={<BusinessUnitCreate />} />
                  <Route path="edit/:id" element={<BusinessUnitEdit />} />
                </Route>
                <Route path="/tiers">
                  <Route index element={<TierList />} />
                  <Route path="create" element={<TierCreate />} />
                  <Route path="edit/:id" element={<TierEdit />} />
                </Route>
                <Route path="/approvals">
                  <Route index element={<ApprovalsPage />} />
                  <Route path="new" element={<NewRequestPage />} />
                  <Route path="flows" element={<CanAccess resource="approval_flows" action="list" fallback={<Forbidden />}><Outlet /></CanAccess>}>
                    <Route index element={<FlowListPage />} />
                    <Route path=":key" element={<FlowEditorPage />} />
                  </Route>
                </Route>
                <Route path="/dashboards">
                  <Route index element={<DashboardsPage />} />
                  <Route path="new" element={<DashboardBuilderPage />} />
                  <Route path=":key" element={<DashboardShow />} />
                  <Route path=":key/edit" element={<DashboardBuilderPage />} />
                </Route>
                <Route path="/reports" element={<ReportsPage />} />
                <Route path="/settlement" element={<SettlementPage />} />
                <Route path="/staff" element={<StaffList />} />
                <Route path="/audit-log" element={<AuditLogList />} />
                <Route path="/imports" element={<CanAccess resource="imports" action="list" fallback={<Forbidden />}><ImportPage /></CanAccess>} />
                <Route path="/api-keys" element={<ApiKeyList />} />
                <Route path="/notification-templates" element={<CanAccess resource="notification_templates" action="list" fallback={<Forbidden />}><NotificationTemplatesPage /></CanAccess>} />
                <Route path="/webhooks" element={<CanAccess resource="webhook_subscriptions" action="list" fallback={<Forbidden />}><WebhooksPage /></CanAccess>} />
                <Route path="/builder/*" element={<BuilderRoutes />} />
                <Route path="/rules">
                  <Route index element={<RuleList />} />
                  <Route path="show/:key" element={<RuleShow />} />
                </Route>
                <Route path="/e/:entity/*" element={<EntityRoutes />} />
                <Route path="*" element={<NotFound />} />
              </Route>
              <Route
                element={
                  <Authenticated key="public" fallback={<Outlet />}>
                    <NavigateToResource resource="home" />
                  </Authenticated>
                }
              >
                <Route path="/login" element={<LoginPage />} />
              </Route>
            </Routes>
            <DocumentTitle />
            <UnsavedChangesNotifier />
          </Refine>
        </AntdApp>
      </ConfigProvider>
    </BrowserRouter>
  );
}
