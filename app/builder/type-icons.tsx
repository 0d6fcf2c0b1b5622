import {
  AlignLeftOutlined, ApartmentOutlined, BorderOutlined, CalendarOutlined, CheckSquareOutlined, ClockCircleOutlined,
  FieldNumberOutlined, FontSizeOutlined, GiftOutlined, MailOutlined, MoneyCollectOutlined, PhoneOutlined,
  SelectOutlined, TagsOutlined, UserOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";
import type { FieldType } from "./model";

/** Icon of each palette type (labels come from i18n: builder.palette.<type>). */
export const TYPE_ICONS: Record<FieldType, ReactNode> = {
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
  raw: <BorderOutlined />,
};
