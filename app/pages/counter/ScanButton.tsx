import { ScanOutlined } from "@ant-design/icons";
import { Alert, Button, Modal, Spin } from "antd";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

const QrScanner = lazy(() => import("./QrScanner"));

/** True once it is known that this page may use a camera: a secure context with at least one video input. */
function useCameraAvailable() {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    let alive = true;
    if (!window.isSecureContext || !navigator.mediaDevices?.enumerateDevices) return;
    navigator.mediaDevices
      .enumerateDevices()
      .then((devices) => alive && setAvailable(devices.some((d) => d.kind === "videoinput")))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return available;
}

/** 扫码: reads a member code from the camera; not shown where there is no camera or no secure context. */
export function ScanButton({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation();
  const available = useCameraAvailable();
  const [open, setOpen] = useState(false);
  const [failed, setFailed] = useState(false);
  if (!available) return null;
  const close = () => {
    setOpen(false);
    setFailed(false);
  };
  return (
    <>
      <Button icon={<ScanOutlined />} onClick={() => setOpen(true)}>{t("counter.find.scan")}</Button>
      <Modal open={open} title={t("counter.find.scanTitle")} onCancel={close} footer={null} destroyOnHidden>
        {failed ? (
          <Alert type="warning" showIcon message={t("counter.find.scanFailed")} />
        ) : (
          <Suspense fallback={<Spin />}>
            <QrScanner
              onCode={(code) => {
                close();
                onCode(code);
              }}
              onError={() => setFailed(true)}
            />
          </Suspense>
        )}
      </Modal>
    </>
  );
}
