import { ThemedTitle } from "@refinedev/antd";
import type { RefineLayoutThemedTitleProps } from "@refinedev/antd";
import { CrownOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";

export function AppTitle(props: RefineLayoutThemedTitleProps) {
  const { t } = useTranslation();
  return <ThemedTitle {...props} text={t("app.title")} icon={<CrownOutlined />} />;
}
