// antd 5 renders a few things outside the React tree (button wave effect, static message/modal)
// through react-dom's legacy render, which React 19 removed. Point it at createRoot instead; this is
// what @ant-design/v5-patch-for-react-19 does.
import { unstableSetRender } from "antd";
import { createRoot, type Root } from "react-dom/client";

type Container = (Element | DocumentFragment) & { _antdRoot?: Root };

unstableSetRender((node, container: Container) => {
  container._antdRoot ??= createRoot(container);
  const root = container._antdRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    delete container._antdRoot;
  };
});
