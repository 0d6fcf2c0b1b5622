import { MemberFormPage } from "./MemberFormPage";

export const MemberCreate = () => <MemberFormPage action="create" />;
