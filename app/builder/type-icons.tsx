import {
  AlignLeftOutlined, ApartmentOutlined, BorderOutlined, CalendarOutlined, CheckSquareOutlined, ClockCircleOutlined,
  FieldNumberOutlined, FontSizeOutlined, GiftOutlined, MailOutlined, MoneyCollectOutlined, PhoneOutlined,
  SelectOutlined, TagsOutlined, UserOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";
import type { FieldType } from "./model";

/** Icons of the palette types (labels come from i18n: builder.palette.<type>); other types show a plain box. */
const TYPE_ICONS: Partial<Record<FieldType, ReactNode>> = {
  text: <FontSizeOutlined />,
  textarea: <AlignLeftOutlined />,
  number: <FieldNumberOutlined />,
  money: <MoneyCollectOutlined />,
  points: <GiftOutlined />,
  date: <CalendarOutlined />,
  datetime: <ClockCircleOutlined />,
  select: <SelectOutlined />,
  multiselect: <TagsOutlined />,
  checkbox: <CheckSquareOutlined />,
  phone: <PhoneOutlined />,
  email: <MailOutlined />,
  member: <UserOutlined />,
  business_unit: <ApartmentOutlined />,
  section: <BorderOutlined />,
};

export const typeIcon = (type: FieldType): ReactNode => TYPE_ICONS[type] ?? <BorderOutlined />;
