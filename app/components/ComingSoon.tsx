import { Empty, Typography } from "antd";

/** An honest empty state for features that are not built yet: no sample rows, no fake numbers. */
export function ComingSoon({ title, hint }: { title: string; hint?: string }) {
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <>
          <Typography.Title level={5} style={{ marginBottom: 4 }}>
            {title}
          </Typography.Title>
          {hint && <Typography.Text type="secondary">{hint}</Typography.Text>}
        </>
      }
    />
  );
}
