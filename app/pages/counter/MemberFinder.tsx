import { Alert, Input, List, Segmented, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { findMembers, maskPhone, normaliseQuery, validQuery, type CounterMember, type FindBy } from "../../data/benefits/find-member";
import { localizeRpcError } from "../../lib/rpc-errors";
import { ScanButton } from "./ScanButton";

const MODES: FindBy[] = ["code", "phone", "plate"];

/** Finds the member at the counter by member code (typed or scanned), phone or licence plate. */
export function MemberFinder({ onFound }: { onFound: (member: CounterMember | null) => void }) {
  const { t } = useTranslation();
  const [by, setBy] = useState<FindBy>("code");
  const [text, setText] = useState("");
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [choices, setChoices] = useState<CounterMember[]>([]);

  const search = async (raw: string, mode: FindBy = by) => {
    const query = normaliseQuery(mode, raw);
    setChoices([]);
    setProblem(null);
    if (!validQuery(mode, query)) {
      setProblem(t(`counter.find.invalid.${mode}`));
      return;
    }
    setLoading(true);
    try {
      const found = await findMembers(mode, query);
      if (found.length === 0) {
        onFound(null);
        setProblem(t("counter.find.none"));
      } else if (found.length === 1) {
        onFound(found[0]);
      } else {
        onFound(null);
        setChoices(found);
      }
    } catch (failure) {
      setProblem(localizeRpcError(failure, t));
    } finally {
      setLoading(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Segmented<FindBy>
        value={by}
        onChange={(next) => {
          setBy(next);
          setProblem(null);
        }}
        options={MODES.map((mode) => ({ value: mode, label: t(`counter.find.by.${mode}`) }))}
      />
      <Space.Compact style={{ width: "100%" }}>
        <Input.Search
          aria-label={t(`counter.find.by.${by}`)}
          placeholder={t(`counter.find.placeholder.${by}`)}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(value) => void search(value)}
          enterButton={t("counter.find.search")}
          loading={loading}
          allowClear
          maxLength={64}
        />
      </Space.Compact>
      {by === "code" && (
        <ScanButton
          onCode={(code) => {
            setText(code);
            void search(code, "code");
          }}
        />
      )}
      {problem && <Alert type="warning" showIcon message={problem} />}
      {choices.length > 0 && (
        <List
          size="small"
          bordered
          header={t("counter.find.several")}
          dataSource={choices}
          renderItem={(m) => (
            <List.Item>
              <a onClick={() => { setChoices([]); onFound(m); }}>{`${m.name} · ${m.member_no} · ${maskPhone(m.phone)}`}</a>
            </List.Item>
          )}
        />
      )}
    </Space>
  );
}
