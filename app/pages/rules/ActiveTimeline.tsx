import { Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Rule } from "../../data/rules/types";
import { localizedName } from "../../lib/format";

const DAY = 86_400_000;
const ROW = 22;
const LABEL = 180;
const WIDTH = 760;

/**
 * The active windows of a kind's rules on one time axis (a small SVG): one bar per rule in priority order, an open
 * end drawn to the edge with a fading tip, "now" as a line; a draft's bar dashed.
 */
export function ActiveTimeline({ rules }: { rules: Rule[] }) {
  const { t, i18n } = useTranslation();
  const [now] = useState(() => Date.now());
  const ms = (v: string | null) => (v ? Date.parse(v) : null);
  const times = rules.flatMap((r) => [ms(r.active_from), ms(r.active_to)]).filter((v): v is number => v !== null);
  const start = Math.min(now - 30 * DAY, ...times) - 7 * DAY;
  const end = Math.max(now + 90 * DAY, ...times) + 7 * DAY;
  const x = (v: number) => LABEL + ((v - start) / (end - start)) * (WIDTH - LABEL - 8);
  const height = rules.length * ROW + 24;
  if (!rules.length) return <Typography.Text type="secondary">{t("rules.ruleSet.noRules")}</Typography.Text>;
  return (
    <svg role="img" aria-label={t("rules.ruleSet.timeline")} data-testid="rule-timeline" viewBox={`0 0 ${WIDTH} ${height}`} style={{ width: "100%", maxWidth: WIDTH }}>
      <defs>
        <linearGradient id="rule-open-end" x1="0" x2="1">
          <stop offset="0" stopColor="#1677ff" stopOpacity="0.8" />
          <stop offset="1" stopColor="#1677ff" stopOpacity="0.1" />
        </linearGradient>
      </defs>
      {rules.map((r, i) => {
        const from = ms(r.active_from);
        const to = ms(r.active_to);
        const x0 = x(from ?? start);
        const x1 = x(to ?? end);
        const y = i * ROW + 4;
        const draft = r.status === "draft";
        return (
          <g key={r.id}>
            <text x={0} y={y + 13} fontSize={12} fill="currentColor">
              {`${localizedName(r, i18n.language).slice(0, 14)} · ${r.priority}`}
            </text>
            <rect x={x0} y={y + 3} width={Math.max(2, x1 - x0)} height={ROW - 8} rx={3}
              fill={to === null ? "url(#rule-open-end)" : "#1677ff"} fillOpacity={draft ? 0.25 : 0.8}
              stroke={draft ? "#1677ff" : "none"} strokeDasharray={draft ? "4 3" : undefined}>
              <title>{`${from ? dayjs(from).format("YYYY-MM-DD HH:mm") : t("rules.ruleSet.open")} → ${to ? dayjs(to).format("YYYY-MM-DD HH:mm") : t("rules.ruleSet.open")}`}</title>
            </rect>
          </g>
        );
      })}
      <line x1={x(now)} x2={x(now)} y1={0} y2={height - 16} stroke="#ff4d4f" strokeWidth={1} />
      <text x={x(now) + 3} y={height - 4} fontSize={11} fill="#ff4d4f">{t("rules.ruleSet.now")}</text>
      <text x={LABEL} y={height - 4} fontSize={11} fill="currentColor" opacity={0.6}>{dayjs(start).format("YYYY-MM-DD")}</text>
      <text x={WIDTH - 8} y={height - 4} fontSize={11} fill="currentColor" opacity={0.6} textAnchor="end">{dayjs(end).format("YYYY-MM-DD")}</text>
    </svg>
  );
}
