import { MemberFormPage } from "./MemberFormPage";

export const MemberEdit = () => <MemberFormPage action="edit" />;
