import { useDroppable } from "@dnd-kit/core";
import { SortableContext, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { Card, Empty } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { FieldCard } from "./FieldCard";
import type { BuilderField } from "./model";

interface Props {
  fields: BuilderField[];
  selectedId: string | null;
  invalidIds: Set<string>;
  lockedKeys: Set<string>;
  onSelect: (id: string) => void;
  onRemove: (id: string) => void;
  onDuplicate: (id: string) => void;
}

/** The form being built: a sortable list that also accepts fields dragged from the palette. */
export function Canvas({ fields, selectedId, invalidIds, lockedKeys, onSelect, onRemove, onDuplicate }: Props) {
  const { t } = useTranslation();
  const { setNodeRef, isOver } = useDroppable({ id: "canvas" });
  const ids = useMemo(() => fields.map((f) => f.id), [fields]);
  return (
    <Card size="small" title={t("builder.canvasTitle", { count: fields.filter((f) => f.type !== "section").length })}>
      <div ref={setNodeRef} role="list" aria-label={t("builder.canvasTitle", { count: fields.length })} data-testid="builder-canvas"
        style={{ minHeight: 320, maxHeight: "calc(100vh - 280px)", overflowY: "auto", padding: 4, borderRadius: 6, background: isOver ? "#f0f5ff" : undefined }}>
        <SortableContext items={ids} strategy={verticalListSortingStrategy}>
          {fields.map((field) => (
            <FieldCard key={field.id} field={field} selected={field.id === selectedId} invalid={invalidIds.has(field.id)}
              locked={lockedKeys.has(field.key)} onSelect={onSelect} onRemove={onRemove} onDuplicate={onDuplicate} />
          ))}
        </SortableContext>
        {!fields.length && <Empty description={t("builder.dropHere")} style={{ paddingTop: 80 }} />}
      </div>
    </Card>
  );
}
