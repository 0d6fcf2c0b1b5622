import {
  closestCenter, DndContext, DragOverlay, KeyboardSensor, PointerSensor, pointerWithin, useSensor, useSensors,
  type CollisionDetection, type DragEndEvent, type DragStartEvent,
} from "@dnd-kit/core";
import { sortableKeyboardCoordinates } from "@dnd-kit/sortable";
import { Button, Col, Row, Tabs } from "antd";
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { fieldType } from "../../core/field-types/index.ts";
import { Canvas } from "./Canvas";
import { EntitySettingsPanel } from "./EntitySettingsPanel";
import { FieldProperties } from "./FieldProperties";
import { FormSettings } from "./FormSettings";
import { duplicateField, insertField, moveField, newField, removeField, updateField, type BuilderDoc, type BuilderField, type NewFieldLabels, type PaletteType } from "./model";
import { typeIcon } from "./type-icons";
import { Palette } from "./Palette";
import { Preview } from "./Preview";
import type { useDefinitionEditor } from "./useDefinitionEditor";

/** Inside the canvas, the nearest field wins; elsewhere nothing is a drop target. */
const collision: CollisionDetection = (args) => {
  const inside = pointerWithin(args);
  if (!inside.length) return [];
  const fields = closestCenter({ ...args, droppableContainers: args.droppableContainers.filter((c) => c.id !== "canvas") });
  return fields.length ? fields.slice(0, 1) : inside;
};

/** Palette, canvas, properties and live preview of one form or entity, with drag and drop. */
export function BuilderWorkbench({ editor, entity, lockedKeys }: { editor: ReturnType<typeof useDefinitionEditor>; entity: boolean; lockedKeys: Set<string> }) {
  const { t, i18n } = useTranslation();
  const { doc, definition, problems, history } = editor;
  const { set } = history;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const invalidIds = useMemo(() => new Set(problems.map((p) => p.id)), [problems]);
  const selected = doc.fields.find((f) => f.id === selectedId);
  const controllers = doc.fields.filter((f) => !f.visibleIf && f.type !== "section" && fieldType(f.type).builder.controlsVisibility);

  const { language } = i18n;
  const labels = useCallback((type: PaletteType): NewFieldLabels => ({
    zh: t(`builder.palette.${type}`, { lng: "zh-CN" }),
    en: t(`builder.palette.${type}`, { lng: "en" }),
    language,
    option: (n) => t("builder.props.optionN", { n }),
  }), [t, language]);
  const docRef = useRef(doc);
  useEffect(() => {
    docRef.current = doc;
  }, [doc]);
  const add = useCallback((type: PaletteType, index?: number) => {
    const field = newField(type, docRef.current, labels(type));
    set((d) => insertField(d, field, index));
    // the new field shows at once; its properties panel mounts right after, without holding the drop
    startTransition(() => setSelectedId(field.id));
  }, [set, labels]);
  const onRemove = useCallback((id: string) => set((d) => removeField(d, id)), [set]);
  const onDuplicate = useCallback((id: string) => set((d) => duplicateField(d, id)), [set]);
  const onField = useCallback((id: string, patch: Partial<BuilderField>, prop: string) => set((d) => updateField(d, id, patch), `${id}:${prop}`), [set]);
  const onDoc = useCallback((patch: Partial<BuilderDoc>, prop: string) => set((d) => ({ ...d, ...patch }), `doc:${prop}`), [set]);

  const onDragStart = ({ active }: DragStartEvent) => setDragging(String(active.id));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(null);
    if (!over) return;
    const palette = active.data.current?.palette as PaletteType | undefined;
    const overIndex = doc.fields.findIndex((f) => f.id === over.id);
    if (palette) {
      const rect = active.rect.current.translated;
      const below = rect && overIndex >= 0 && rect.top + rect.height / 2 > over.rect.top + over.rect.height / 2;
      add(palette, overIndex < 0 ? doc.fields.length : overIndex + (below ? 1 : 0));
      return;
    }
    const from = doc.fields.findIndex((f) => f.id === active.id);
    if (overIndex >= 0) set((d) => moveField(d, from, overIndex));
  };

  const side = selected ? (
    <FieldProperties key={selected.id} controllers={controllers} field={selected} locked={lockedKeys.has(selected.key)} onChange={onField} />
  ) : (
    <FormSettings doc={doc} onChange={onDoc} />
  );
  const paletteType = dragging?.startsWith("palette:") ? (dragging.slice(8) as PaletteType) : null;

  return (
    <DndContext sensors={sensors} collisionDetection={collision} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setDragging(null)}>
      <Row gutter={12} wrap={false}>
        <Col flex="172px">
          <Palette onAdd={add} />
        </Col>
        <Col flex="1 1 380px" style={{ minWidth: 0 }}>
          <Canvas fields={doc.fields} selectedId={selectedId} invalidIds={invalidIds} lockedKeys={lockedKeys} onSelect={setSelectedId} onRemove={onRemove} onDuplicate={onDuplicate} />
          {selected && (
            <Button type="link" onClick={() => setSelectedId(null)}>{t("builder.formSettings")}</Button>
          )}
        </Col>
        <Col flex="1 1 460px" style={{ minWidth: 0 }}>
          <Tabs
            size="small"
            items={[
              { key: "props", label: t("builder.tabs.properties"), children: <>{side}<div style={{ height: 12 }} /><Preview schema={definition.schema} uiSchema={definition.ui_schema} /></> },
              ...(entity ? [{ key: "entity", label: t("builder.tabs.entity"), children: <EntitySettingsPanel doc={doc} onChange={(entitySettings, prop) => onDoc({ entity: entitySettings }, prop)} /> }] : []),
              { key: "json", label: "JSON", children: <JsonView value={definition} /> },
            ]}
          />
        </Col>
      </Row>
      <DragOverlay dropAnimation={null}>
        {paletteType && (
          <Button icon={typeIcon(paletteType)} style={{ boxShadow: "0 4px 12px rgba(0,0,0,.15)" }}>{t(`builder.palette.${paletteType}`)}</Button>
        )}
      </DragOverlay>
    </DndContext>
  );
}

function JsonView({ value }: { value: unknown }) {
  return <pre style={{ fontSize: 12, maxHeight: 640, overflow: "auto", background: "#fafafa", padding: 8 }}>{JSON.stringify(value, null, 2)}</pre>;
}
