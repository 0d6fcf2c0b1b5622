import { Button, Space } from "antd";
import { useTranslation } from "react-i18next";
import { changeLanguage, LANGUAGES } from "../i18n";

/** 中文 / English: the current language is the pressed, primary button. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Space.Compact aria-label={t("language.label")} role="group">
      {LANGUAGES.map((lang) => {
        const active = i18n.language === lang;
        return (
          <Button
            key={lang}
            size="small"
            autoInsertSpace={false}
            type={active ? "primary" : "default"}
            aria-pressed={active}
            lang={lang}
            onClick={() => void changeLanguage(lang)}
          >
            {t(`language.${lang}`)}
          </Button>
        );
      })}
    </Space.Compact>
  );
}
