import { BranchesOutlined, CopyOutlined, DeleteOutlined, HolderOutlined } from "@ant-design/icons";
import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { Button, Tag, Tooltip, Typography } from "antd";
import { memo } from "react";
import { useTranslation } from "react-i18next";
import type { BuilderField } from "./model";
import { typeIcon } from "./type-icons";

interface Props {
  field: BuilderField;
  selected: boolean;
  invalid: boolean;
  locked: boolean;
  onSelect: (id: string) => void;
  onRemove: (id: string) => void;
  onDuplicate: (id: string) => void;
}

/** One field on the canvas: drag handle, label, key and type; click to edit its properties. */
export const FieldCard = memo(function FieldCard(props: Props) {
  const { field, selected, invalid } = props;
  // useSortable re-renders every card on each pointer move of a drag: keep this part cheap and
  // let the memoized body below skip unless its own props change.
  const { attributes, listeners, setNodeRef, transform, transition, isDragging, isOver, active } = useSortable({ id: field.id });
  const fromPalette = isOver && !!active?.data.current?.palette;
  const section = field.type === "section";
  const style = {
    transform: CSS.Translate.toString(transform),
    transition,
    opacity: isDragging ? 0.5 : 1,
    padding: section ? "10px 12px" : "8px 12px",
    marginBottom: 6,
    borderRadius: 6,
    // longhands only: React warns when a shorthand (border) and one of its parts (borderTop) change together
    ...cardBorder(section ? "dashed" : "solid", invalid ? "#ff4d4f" : selected ? "#1677ff" : "#d9d9d9", fromPalette),
    background: selected ? "#e6f4ff" : section ? "#fafafa" : "#fff",
    cursor: "pointer",
  };
  return (
    <div ref={setNodeRef} style={style} role="listitem" aria-label={field.title || field.key} aria-selected={selected} data-field-key={field.key} onClick={() => props.onSelect(field.id)}>
      <div style={ROW}>
        <DragHandle attributes={attributes} listeners={listeners} />
        <CardBody field={field} locked={props.locked} onRemove={props.onRemove} onDuplicate={props.onDuplicate} />
      </div>
    </div>
  );
});

/** The card's border; a field dragged from the palette over this card marks the drop above it in blue. */
function cardBorder(style: string, color: string, dropAbove: boolean) {
  return dropAbove
    ? { borderStyle: `solid ${style} ${style}`, borderWidth: "3px 1px 1px", borderColor: `#1677ff ${color} ${color}` }
    : { borderStyle: style, borderWidth: 1, borderColor: color };
}

const ROW = { display: "flex", alignItems: "center", gap: 8 } as const;

type SortableBits = Pick<ReturnType<typeof useSortable>, "attributes" | "listeners">;

function DragHandle({ attributes, listeners }: SortableBits) {
  const { t } = useTranslation();
  return (
    <span {...attributes} {...listeners} aria-label={t("builder.dragHandle")} style={{ cursor: "grab", touchAction: "none", color: "#8c8c8c" }}>
      <HolderOutlined />
    </span>
  );
}

const CardBody = memo(function CardBody({ field, locked, onRemove, onDuplicate }: Pick<Props, "field" | "locked" | "onRemove" | "onDuplicate">) {
    const { t } = useTranslation();
    const section = field.type === "section";
    return (
      <>
        {typeIcon(field.type)}
        <Typography.Text strong={section} style={{ flex: 1 }} ellipsis>
          {field.title || field.key}
          {field.required && <span style={{ color: "#ff4d4f" }}> *</span>}
        </Typography.Text>
        {field.visibleIf && (
          <Tooltip title={t("builder.props.visibleIf")}>
            <BranchesOutlined style={{ color: "#722ed1" }} />
          </Tooltip>
        )}
        {!section && <Typography.Text type="secondary" code>{field.key}</Typography.Text>}
        <Tag>{t(`builder.palette.${field.type}`)}</Tag>
        <Button size="small" type="text" icon={<CopyOutlined />} aria-label={t("builder.duplicate")} disabled={locked} onClick={(e) => { e.stopPropagation(); onDuplicate(field.id); }} />
        <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t("builder.remove")} disabled={locked} onClick={(e) => { e.stopPropagation(); onRemove(field.id); }} />
      </>
    );
});
