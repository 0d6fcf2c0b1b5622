import { useDraggable } from "@dnd-kit/core";
import { Button, Card, Flex } from "antd";
import { memo } from "react";
import { useTranslation } from "react-i18next";
import { FIELD_TYPES, type PaletteType } from "./model";
import { typeIcon } from "./type-icons";

/** One draggable palette entry; a click adds the field at the end (keyboard users, quick building). */
const PaletteItem = memo(function PaletteItem({ type, onAdd }: { type: PaletteType; onAdd: (type: PaletteType) => void }) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: `palette:${type}`, data: { palette: type } });
  return (
    <Button
      ref={setNodeRef}
      {...attributes}
      {...listeners}
      role="button"
      aria-label={t("builder.addField", { type: t(`builder.palette.${type}`) })}
      data-palette={type}
      icon={typeIcon(type)}
      block
      style={{ justifyContent: "flex-start", opacity: isDragging ? 0.4 : 1, touchAction: "none" }}
      onClick={() => onAdd(type)}
    >
      {t(`builder.palette.${type}`)}
    </Button>
  );
});

export function Palette({ onAdd }: { onAdd: (type: PaletteType) => void }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t("builder.paletteTitle")} styles={{ body: { padding: 8 } }}>
      <Flex vertical gap={6} role="toolbar" aria-label={t("builder.paletteTitle")}>
        {FIELD_TYPES.map((type) => (
          <PaletteItem key={type} type={type} onAdd={onAdd} />
        ))}
      </Flex>
    </Card>
  );
}
