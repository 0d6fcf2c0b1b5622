import { Background, Controls, MarkerType, Position, ReactFlow, type Edge, type Node } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { approvalFlowActionLabel, approvalModeLabel, approvalScopeLabel, roleLabel } from "../../../../core/enums/index.ts";
import { formatCount } from "../../../lib/format";
import { describeCondition } from "./describe-condition";
import type { EditorStep } from "./editor-state";
import { parseCondition } from "./editor-state";

const ROW = 120;
const WIDTH = 260;
const START = "start";
const END = "end";
const stepId = (index: number) => `step-${index}`;

/**
 * The flow top to bottom: start, one node per step in order (approver role, scope, any/all, SLA), end with the
 * action on final approval; the edge into a conditional step carries its condition. A click on a step selects it.
 */
export function FlowDiagram({ steps, action, selected, onSelect, unitName }: {
  steps: EditorStep[];
  action: string;
  selected: number | null;
  onSelect: (index: number) => void;
  unitName: (code: string | null | undefined) => string;
}) {
  const { t, i18n } = useTranslation();
  const { nodes, edges } = useMemo(() => {
    const box = { width: WIDTH, fontSize: 12, textAlign: "left" as const, whiteSpace: "normal" as const };
    const nodes: Node[] = [
      { id: START, position: { x: 0, y: 0 }, data: { label: t("approvals.flowEditor.start") }, type: "input", sourcePosition: Position.Bottom, style: { ...box, textAlign: "center" }, selectable: false },
      ...steps.map((step, index): Node => ({
        id: stepId(index),
        position: { x: 0, y: (index + 1) * ROW },
        targetPosition: Position.Top,
        sourcePosition: Position.Bottom,
        selected: index === selected,
        style: { ...box, borderColor: index === selected ? "#1677ff" : undefined, borderWidth: index === selected ? 2 : 1 },
        data: {
          label: (
            <div data-testid={`flow-node-${index + 1}`}>
              <strong>{index + 1}. {(i18n.language.startsWith("en") && step.name_en) || step.name || t("approvals.flowEditor.unnamed")}</strong>
              <div>{t(roleLabel(step.approver_role))} · {step.scope === "unit" ? unitName(step.unit_code) : t(approvalScopeLabel(step.scope))}</div>
              <div>{t(approvalModeLabel(step.mode))} · {t("approvals.flowEditor.slaShort", { hours: formatCount(step.sla_hours) })}</div>
            </div>
          ),
        },
      })),
      { id: END, position: { x: 0, y: (steps.length + 1) * ROW }, data: { label: t("approvals.flowEditor.end", { action: t(approvalFlowActionLabel(action)) }) }, type: "output", targetPosition: Position.Top, style: { ...box, textAlign: "center" }, selectable: false },
    ];
    const ids = [START, ...steps.map((_, index) => stepId(index)), END];
    const edges: Edge[] = ids.slice(1).map((target, i) => {
      const step = steps[i];
      const parsed = step ? parseCondition(step.conditionText) : null;
      const label = parsed?.ok && parsed.value !== null ? t("approvals.flowEditor.when", { condition: describeCondition(parsed.value, t, i18n) }) : undefined;
      return {
        id: `${ids[i]}->${target}`,
        source: ids[i],
        target,
        label,
        labelStyle: { fontSize: 12 },
        labelBgPadding: [6, 3] as [number, number],
        style: label ? { strokeDasharray: "6 3" } : undefined,
        markerEnd: { type: MarkerType.ArrowClosed },
      };
    });
    return { nodes, edges };
  }, [steps, action, selected, t, i18n, unitName]);

  return (
    <div style={{ height: Math.min(720, (steps.length + 2) * ROW + 40), border: "1px solid #f0f0f0", borderRadius: 8 }} data-testid="flow-diagram">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        fitView
        fitViewOptions={{ padding: 0.15 }}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable
        zoomOnScroll={false}
        panOnScroll
        onNodeClick={(_, node) => {
          const index = Number(node.id.replace("step-", ""));
          if (node.id.startsWith("step-") && Number.isInteger(index)) onSelect(index);
        }}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
