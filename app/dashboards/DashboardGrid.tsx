import type { ReactNode } from "react";
import type { DashboardWidget } from "../../core/dashboards/types.ts";
import "./dashboard-grid.css";

/** Height of one grid row in pixels (the layout's h counts rows). */
export const ROW_HEIGHT = 56;
export const GRID_GAP = 12;

/** A dashboard's widgets on its 12-column grid; on narrow screens one column, in layout order. */
export function DashboardGrid({ widgets, render }: { widgets: readonly DashboardWidget[]; render: (widget: DashboardWidget) => ReactNode }) {
  const ordered = [...widgets].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
  return (
    <div className="dashboard-grid" style={{ gridAutoRows: ROW_HEIGHT, gap: GRID_GAP }}>
      {ordered.map((widget) => (
        <div
          key={widget.id}
          className="dashboard-grid-item"
          style={
            {
              "--x": widget.layout.x + 1,
              "--y": widget.layout.y + 1,
              "--w": widget.layout.w,
              "--h": widget.layout.h,
            } as React.CSSProperties
          }
        >
          {render(widget)}
        </div>
      ))}
    </div>
  );
}
