import type { ResourceProps } from "@refinedev/core";
import { ApprovalsMenuBadge } from "./pages/approvals/ApprovalsMenuBadge";
import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CheckSquareOutlined,
  CreditCardOutlined,
  CrownOutlined,
  FormOutlined,
  HomeOutlined,
  TeamOutlined,
  UserOutlined,
  FunctionOutlined,
  AccountBookOutlined,
  GiftOutlined,
  KeyOutlined,
  ScanOutlined,
  AimOutlined,
  HeartOutlined,
  NotificationOutlined,
  MailOutlined,
  ApiOutlined,
  ImportOutlined,
  RocketOutlined,
} from "@ant-design/icons";

/**
 * Menu order and routes. Labels come from i18n (`<name>.<name>`), visibility from the access
 * matrix (app/access/permissions.ts) through the access control provider.
 */
export const resources: ResourceProps[] = [
  { name: "home", list: "/", meta: { icon: <HomeOutlined /> } },
  { name: "members", list: "/members", create: "/members/create", edit: "/members/edit/:id", show: "/members/show/:id", meta: { icon: <UserOutlined /> } },
  // 柜台核销: staff and managers verify benefits and redeem coupons at their unit's counter.
  { name: "counter", list: "/counter", meta: { icon: <ScanOutlined /> } },
  { name: "stored_value_cards", list: "/cards", show: "/cards/show/:id", meta: { icon: <CreditCardOutlined /> } },
  {
    name: "business_units",
    list: "/business-units",
    create: "/business-units/create",
    edit: "/business-units/edit/:id",
    meta: { icon: <ApartmentOutlined />, canDelete: true },
  },
  // 权益配置: benefit definitions, drafted like rules and published (access: benefit_definitions).
  { name: "benefit_definitions", list: "/benefits", show: "/benefits/:key", meta: { icon: <GiftOutlined /> } },
  // 营销: segments (客群), campaigns (营销活动) and customer care (客户关怀: reminders, care tasks, follow-ups).
  { name: "marketing_menu", meta: { icon: <NotificationOutlined /> } },
  { name: "segments", list: "/segments", show: "/segments/:key", meta: { icon: <AimOutlined />, parent: "marketing_menu" } },
  { name: "campaigns", list: "/campaigns", create: "/campaigns/new", edit: "/campaigns/:id/edit", show: "/campaigns/:id", meta: { icon: <RocketOutlined />, parent: "marketing_menu" } },
  { name: "care_tasks", list: "/care", meta: { icon: <HeartOutlined />, parent: "marketing_menu" } },
  { name: "tiers", list: "/tiers", create: "/tiers/create", edit: "/tiers/edit/:id", meta: { icon: <CrownOutlined /> } },
  { name: "approvals", list: "/approvals", create: "/approvals/new", meta: { icon: <CheckSquareOutlined />, badge: <ApprovalsMenuBadge /> } },
  {
    name: "dashboards",
    list: "/dashboards",
    show: "/dashboards/:key",
    create: "/dashboards/new",
    edit: "/dashboards/:key/edit",
    meta: { icon: <BarChartOutlined /> },
  },
  // 结算: settlement between business units (finance; read-only for directors).
  { name: "settlement", list: "/settlement", meta: { icon: <AccountBookOutlined /> } },
  // Reports open from the dashboards page (not a menu entry of their own).
  { name: "reports", list: "/reports", meta: { hide: true } },
  { name: "staff_profiles", list: "/staff", meta: { icon: <TeamOutlined /> } },
  { name: "audit_log", list: "/audit-log", meta: { icon: <AuditOutlined /> } },
  // 批量导入: members, purchases, points adjustments and custom entities from CSV / XLSX (access: imports).
  { name: "imports", list: "/imports", meta: { icon: <ImportOutlined /> } },
  // 接口密钥: each business unit's API keys (administrators).
  { name: "api_keys", list: "/api-keys", meta: { icon: <KeyOutlined /> } },
  // 通知模板: messages to members per event, channel and language (access: notification_templates).
  { name: "notification_templates", list: "/notification-templates", meta: { icon: <MailOutlined /> } },
  // Outbound webhooks with their delivery log (administrators).
  { name: "webhook_subscriptions", list: "/webhooks", meta: { icon: <ApiOutlined /> } },
  // Form and entity builders; show/edit are the form and entity designers (access: the `builder` permission).
  { name: "builder", list: "/builder", show: "/builder/forms/:key", edit: "/builder/entities/:key", meta: { icon: <FormOutlined /> } },
  // Rules center: list per kind, versions and draft editor of one key (access: the `rules` permission).
  { name: "rules", list: "/rules", show: "/rules/show/:key", meta: { icon: <FunctionOutlined /> } },
];
