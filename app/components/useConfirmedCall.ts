import { App } from "antd";
import type { ReactNode } from "react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { localizeRpcError } from "../lib/rpc-errors";

interface ConfirmOptions<T> {
  title: string;
  content: ReactNode;
  okText: string;
  danger?: boolean;
  run: () => Promise<T>;
}

/**
 * A write that needs a second "yes": asks with Modal.confirm (its OK button shows a spinner and
 * takes no second click while the call runs), then keeps the answer, or the server's message
 * (localized where known), for the dialog to show.
 */
export function useConfirmedCall<T>() {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<T | null>(null);

  const confirm = ({ title, content, okText, danger, run }: ConfirmOptions<T>) => {
    setError(null);
    modal.confirm({
      title,
      content,
      okText,
      cancelText: t("buttons.cancel"),
      okButtonProps: { danger },
      onOk: async () => {
        try {
          setResult(await run());
        } catch (failure) {
          setError(localizeRpcError(failure, t));
        }
      },
    });
  };

  return { error, result, setResult, confirm };
}
