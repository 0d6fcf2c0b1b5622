-- Stored-value cards (储值卡): card types as data, cards with a balance in fen (integer, never below zero),
-- an append-only card ledger, and the SQL functions that are the only way to change a card.
--
-- Invariants (tests/db/cards.test.ts proves each one):
--   * card_ledger is append-only; corrections are new entries (refund of a consumption).
--   * for every card: stored_value_cards.balance_fen = sum(card_ledger.amount_fen) = the last entry's
--     balance_after >= 0.
--   * a refund never returns more than its consumption took (all refunds of it together).
--   * replacing a card moves its exact balance to the new card in one transaction (transfer_out / transfer_in).
--   * every posting carries an idempotency key scoped to its caller (another user's key never collides);
--     the same key twice posts once, with other parameters it is refused (23505 idempotency_key_reused).
--   * only active cards take money in or out; a frozen, lost, cancelled or replaced card is refused with
--     its status as the reason (card_frozen, card_lost, card_cancelled, card_replaced).
--   * every amount is capped (private.card_limits()); recharges and refunds above the staff cap need a
--     manager or director of the unit (card_amount_needs_manager).
-- Lock order: card rows, in id order when several (bulk recharge, replacement), nothing else is locked.

-- ── Types ────────────────────────────────────────────────────────────────────────────────
create type public.card_status as enum ('active', 'frozen', 'lost', 'cancelled', 'replaced');

-- ── Limits (core/enums/card-types.ts states the same; tests/db/cards.test.ts compares) ───────
create or replace function private.card_limits()
returns jsonb
language sql immutable
as $$
  select '{"max_amount_fen": 100000000, "staff_cap_fen": 5000000, "max_balance_fen": 1000000000,
           "bulk_max_items": 200, "reason_max_length": 500}'::jsonb
$$;
comment on function private.card_limits() is
  'Bounds of card postings: the largest single amount (1,000,000 yuan), the largest recharge or refund a staff '
  'member makes alone (50,000 yuan; above it a manager or director of the unit), the largest balance, the most '
  'cards in one bulk recharge, the longest reason.';

-- ── Tables ───────────────────────────────────────────────────────────────────────────────
create table public.card_types (
  code text primary key check (code ~ '^[a-z][a-z0-9_]{1,31}$'),
  position int not null,
  active boolean not null default true
);
comment on table public.card_types is
  'Kinds of stored-value card (personal, associated, group, gold...). Labels live in the app (cardTypes.<code>); '
  'core/enums/card-types.ts lists the same codes.';
insert into public.card_types (code, position) values
  ('personal', 1), ('associated', 2), ('group', 3), ('gold', 4), ('silver', 5), ('standard', 6), ('vip', 7),
  ('supplementary', 8);

create sequence public.card_no_seq start 100001;

create table public.stored_value_cards (
  id uuid primary key default gen_random_uuid(),
  card_no text not null unique check (card_no ~ '^[A-Z0-9]{4,32}$'),
  type_code text not null references public.card_types (code),
  member_id uuid references public.members (id),
  issuing_unit_id uuid not null references public.business_units (id),
  status public.card_status not null default 'active',
  balance_fen bigint not null default 0 check (balance_fen >= 0 and balance_fen <= 1000000000),
  status_reason text check (length(status_reason) <= 500),
  replaces_card_id uuid references public.stored_value_cards (id),
  replaced_by_card_id uuid references public.stored_value_cards (id),
  issued_by uuid default auth.uid(),
  issued_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint stored_value_cards_replaced_link check ((status = 'replaced') = (replaced_by_card_id is not null))
);
create index stored_value_cards_member_idx on public.stored_value_cards (member_id) where member_id is not null;
create index stored_value_cards_unit_idx on public.stored_value_cards (issuing_unit_id, issued_at desc);
comment on table public.stored_value_cards is
  'Stored-value cards (储值卡). balance_fen is money in fen (1/100 yuan), never below zero; it changes only '
  'through the card functions, each of which writes a card_ledger entry in the same transaction.';

create table public.card_ledger (
  id bigint generated always as identity primary key,
  card_id uuid not null references public.stored_value_cards (id),
  kind text not null check (kind in ('issue', 'recharge', 'consume', 'refund', 'transfer_out', 'transfer_in')),
  amount_fen bigint not null,
  balance_after bigint not null check (balance_after >= 0),
  business_unit_id uuid not null references public.business_units (id),
  channel text check (channel in ('cash', 'card', 'wechat', 'alipay', 'transfer')),
  idempotency_key text not null unique check (length(idempotency_key) between 1 and 250),
  refunds_entry_id bigint references public.card_ledger (id),
  related_card_id uuid references public.stored_value_cards (id),
  reason text check (length(reason) <= 500),
  operator_id uuid default auth.uid(),
  occurred_at timestamptz not null default now(),
  constraint card_ledger_sign check (case kind when 'recharge' then amount_fen > 0
                                                when 'refund' then amount_fen > 0
                                                when 'consume' then amount_fen < 0
                                                when 'transfer_out' then amount_fen <= 0
                                                else amount_fen >= 0 end),
  constraint card_ledger_channel check ((kind = 'recharge') = (channel is not null) or (kind = 'issue')),
  constraint card_ledger_refund_link check ((kind = 'refund') = (refunds_entry_id is not null)),
  constraint card_ledger_transfer_link check ((kind in ('transfer_out', 'transfer_in')) = (related_card_id is not null))
);
create index card_ledger_card_idx on public.card_ledger (card_id, id);
create index card_ledger_refunds_idx on public.card_ledger (refunds_entry_id) where refunds_entry_id is not null;
create index card_ledger_unit_kind_idx on public.card_ledger (business_unit_id, kind, occurred_at);
comment on table public.card_ledger is
  'The card ledger (储值卡流水), append-only: one signed entry per balance change in fen, with the acting staff '
  '(operator_id), the unit, the channel of a recharge, the consumption a refund returns, the other card of a '
  'replacement, and the balance after it.';

-- ── Helpers ──────────────────────────────────────────────────────────────────────────────
-- Who operates cards at a unit: staff, managers and directors of that unit (admins everywhere), the service
-- role or a privileged connection. Same as the points ledger.
create or replace function private.assert_card_access(p_business_unit_id uuid, p_action text)
returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  perform private.assert_business_unit(p_business_unit_id);
  perform private.assert_ledger_access(p_business_unit_id, p_action);
end
$$;

-- The stored key of a caller's idempotency key: scoped to the signed-in user (or the system), so nobody
-- can pre-claim another caller's key.
create or replace function private.card_key(p_key text)
returns text
language plpgsql stable set search_path = ''
as $$
declare
  v_max int := (private.posting_limits() ->> 'client_key_max_length')::int;
begin
  if p_key is null or btrim(p_key) = '' then
    raise exception 'idempotency key is required' using errcode = '22023', hint = 'idempotency_key_missing';
  end if;
  if length(p_key) > v_max then
    raise exception 'idempotency key is too long (% characters, at most %)', length(p_key), v_max using errcode = '22023',
      hint = 'idempotency_key_too_long', detail = json_build_object('max', v_max)::text;
  end if;
  return coalesce((select auth.uid())::text, 'system') || ':' || p_key;
end
$$;

-- An amount of money in fen: positive, at most the single-posting cap.
create or replace function private.assert_card_amount(p_amount bigint)
returns void
language plpgsql stable set search_path = ''
as $$
declare
  v_max bigint := (private.card_limits() ->> 'max_amount_fen')::bigint;
begin
  if p_amount is null or p_amount <= 0 then
    raise exception 'amount must be a positive number of fen, got %', coalesce(p_amount::text, 'null')
      using errcode = '22023', hint = 'card_amount_not_positive', detail = json_build_object('amount_fen', p_amount)::text;
  end if;
  if p_amount > v_max then
    raise exception 'amount % fen is over the cap of % fen', p_amount, v_max using errcode = '22023',
      hint = 'card_amount_over_cap', detail = json_build_object('amount_fen', p_amount, 'max_fen', v_max)::text;
  end if;
end
$$;

-- A recharge or refund above the staff cap needs a manager or director of the unit (or a system caller).
create or replace function private.assert_card_large_amount(p_amount bigint, p_business_unit_id uuid)
returns void
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_cap bigint := (private.card_limits() ->> 'staff_cap_fen')::bigint;
begin
  if p_amount > v_cap and not private.is_system_caller()
     and not private.has_any_role('{manager,director}'::public.app_role[], p_business_unit_id) then
    raise exception 'amount % fen is over the staff cap of % fen: a manager or director of the unit must post it',
      p_amount, v_cap using errcode = '42501', hint = 'card_amount_needs_manager',
      detail = json_build_object('amount_fen', p_amount, 'cap_fen', v_cap)::text;
  end if;
end
$$;

create or replace function private.assert_card_reason(p_reason text)
returns void
language plpgsql immutable set search_path = ''
as $$
begin
  if p_reason is not null and length(p_reason) > 500 then
    raise exception 'reason is too long (at most 500 characters)' using errcode = '22023',
      hint = 'reason_too_long', detail = json_build_object('max', 500)::text;
  end if;
end
$$;

create or replace function private.assert_card_channel(p_channel text)
returns void
language plpgsql immutable set search_path = ''
as $$
begin
  if p_channel is null or p_channel not in ('cash', 'card', 'wechat', 'alipay', 'transfer') then
    raise exception 'unknown payment channel % (expected cash, card, wechat, alipay or transfer)', coalesce(p_channel, 'null')
      using errcode = '22023', hint = 'card_channel_unknown', detail = json_build_object('channel', p_channel)::text;
  end if;
end
$$;

-- Locks a card and returns it; unknown card: 404 through the API, P0002 for direct connections.
create or replace function private.lock_card(p_card_id uuid)
returns public.stored_value_cards
language plpgsql security definer set search_path = ''
as $$
declare
  v_card public.stored_value_cards;
begin
  if p_card_id is null then
    raise exception 'card is required' using errcode = '22023', hint = 'card_missing';
  end if;
  select c.* into v_card from public.stored_value_cards c where c.id = p_card_id for update;
  if not found then
    perform private.raise_not_found(format('unknown card %s', p_card_id), 'card_unknown',
                                    json_build_object('card_id', p_card_id)::text);
  end if;
  return v_card;
end
$$;

-- An active card, or a refusal naming its status.
create or replace function private.assert_card_usable(p_card public.stored_value_cards)
returns void
language plpgsql immutable set search_path = ''
as $$
begin
  case p_card.status
    when 'active' then
      return;
    when 'frozen' then
      raise exception 'card % is frozen: it cannot be used', p_card.card_no using errcode = '22023', hint = 'card_frozen',
        detail = json_build_object('card_no', p_card.card_no, 'status', p_card.status, 'reason', p_card.status_reason)::text;
    when 'lost' then
      raise exception 'card % is reported lost: it cannot be used', p_card.card_no using errcode = '22023', hint = 'card_lost',
        detail = json_build_object('card_no', p_card.card_no, 'status', p_card.status, 'reason', p_card.status_reason)::text;
    when 'cancelled' then
      raise exception 'card % is cancelled: it cannot be used', p_card.card_no using errcode = '22023', hint = 'card_cancelled',
        detail = json_build_object('card_no', p_card.card_no, 'status', p_card.status, 'reason', p_card.status_reason)::text;
    else
      raise exception 'card % was replaced: it cannot be used', p_card.card_no using errcode = '22023', hint = 'card_replaced',
        detail = json_build_object('card_no', p_card.card_no, 'status', p_card.status, 'reason', p_card.status_reason)::text;
  end case;
end
$$;

-- A key already posted: the original answer, or a refusal when the parameters differ.
create or replace function private.card_replay(p_key text, p_kind text, p_card_id uuid, p_amount bigint,
  p_business_unit_id uuid, p_extra text[] default '{}')
returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_old public.card_ledger;
  v_diff text[];
begin
  select e.* into v_old from public.card_ledger e where e.idempotency_key = p_key;
  if not found then
    return null;
  end if;
  v_diff := array_remove(array[
    case when v_old.kind <> p_kind then 'operation' end,
    case when v_old.card_id <> p_card_id then 'card' end,
    case when v_old.amount_fen <> p_amount then 'amount' end,
    case when v_old.business_unit_id <> p_business_unit_id then 'business unit' end
  ] || p_extra, null);
  if cardinality(v_diff) > 0 then
    raise exception 'idempotency key was already used with different parameters: %', array_to_string(v_diff, ', ')
      using errcode = '23505', hint = 'idempotency_key_reused',
      detail = json_build_object('differs', v_diff, 'entry_id', v_old.id)::text;
  end if;
  return jsonb_build_object('entry_id', v_old.id, 'card_id', v_old.card_id, 'balance_fen', v_old.balance_after,
                            'duplicate', true);
end
$$;

-- Sets the audit reason of the statements that follow in this transaction: what staff typed, or else the
-- operation's code (card-recharge...), which the audit log page translates (audit_log.systemReasons).
create or replace function private.card_audit_reason(p_what text, p_reason text)
returns void
language plpgsql volatile set search_path = ''
as $$
begin
  perform set_config('app.reason', left(coalesce(nullif(btrim(p_reason), ''), p_what), 500), true);
end
$$;

-- ── Issue ────────────────────────────────────────────────────────────────────────────────
create or replace function public.issue_card(
  p_business_unit_id uuid,
  p_type_code text,
  p_idempotency_key text,
  p_card_no text default null,
  p_member_id uuid default null,
  p_reason text default null
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key text;
  v_old public.card_ledger;
  v_card public.stored_value_cards;
  v_no text := upper(btrim(p_card_no));
  v_status public.member_status;
  v_entry bigint;
begin
  perform private.assert_card_access(p_business_unit_id, 'issuing a card');
  v_key := private.card_key(p_idempotency_key);
  perform private.assert_card_reason(p_reason);
  select e.* into v_old from public.card_ledger e where e.idempotency_key = v_key;
  if found then
    select c.* into v_card from public.stored_value_cards c where c.id = v_old.card_id;
    if v_old.kind <> 'issue' or v_card.issuing_unit_id <> p_business_unit_id or v_card.type_code <> p_type_code
       or v_card.member_id is distinct from p_member_id or (v_no is not null and v_card.card_no <> v_no) then
      raise exception 'idempotency key was already used with different parameters' using errcode = '23505',
        hint = 'idempotency_key_reused', detail = json_build_object('entry_id', v_old.id)::text;
    end if;
    return jsonb_build_object('card_id', v_card.id, 'card_no', v_card.card_no, 'entry_id', v_old.id,
                              'balance_fen', v_card.balance_fen, 'duplicate', true);
  end if;
  if p_type_code is null or not exists (select 1 from public.card_types t where t.code = p_type_code and t.active) then
    raise exception 'unknown card type %', coalesce(p_type_code, 'null') using errcode = '22023',
      hint = 'card_type_unknown', detail = json_build_object('type', p_type_code)::text;
  end if;
  if v_no is not null and v_no !~ '^[A-Z0-9]{4,32}$' then
    raise exception 'card number % is not 4 to 32 letters or digits', p_card_no using errcode = '22023',
      hint = 'card_no_invalid', detail = json_build_object('card_no', p_card_no)::text;
  end if;
  if v_no is not null and exists (select 1 from public.stored_value_cards c where c.card_no = v_no) then
    raise exception 'card number % is already issued', v_no using errcode = '23505',
      hint = 'card_no_taken', detail = json_build_object('card_no', v_no)::text;
  end if;
  if p_member_id is not null then
    select m.status into v_status from public.members m where m.id = p_member_id and m.merged_into is null;
    if not found then
      perform private.raise_not_found(format('unknown member %s', p_member_id), 'member_unknown',
                                      json_build_object('member_id', p_member_id)::text);
    end if;
    if v_status <> 'active' then
      raise exception 'member % is %: no card can be issued', p_member_id, v_status using errcode = '22023',
        hint = 'member_inactive', detail = json_build_object('member_id', p_member_id, 'status', v_status)::text;
    end if;
  end if;
  perform private.card_audit_reason('card-issue', p_reason);
  insert into public.stored_value_cards (card_no, type_code, member_id, issuing_unit_id)
  values (coalesce(v_no, 'SV' || nextval('public.card_no_seq')::text), p_type_code, p_member_id, p_business_unit_id)
  returning * into v_card;
  insert into public.card_ledger (card_id, kind, amount_fen, balance_after, business_unit_id, idempotency_key, reason)
  values (v_card.id, 'issue', 0, 0, p_business_unit_id, v_key, p_reason)
  returning id into v_entry;
  return jsonb_build_object('card_id', v_card.id, 'card_no', v_card.card_no, 'entry_id', v_entry,
                            'balance_fen', 0, 'duplicate', false);
exception when unique_violation then
  -- Two issues of the same number at once: the loser gets the same clear refusal.
  if sqlerrm like '%card_no%' then
    raise exception 'card number % is already issued', v_no using errcode = '23505',
      hint = 'card_no_taken', detail = json_build_object('card_no', v_no)::text;
  end if;
  raise;
end
$$;
comment on function public.issue_card(uuid, text, text, text, uuid, text) is
  'Issues a card of a type at a unit (staff, managers, directors of the unit), optionally to a member, with a '
  'given number or the next SV number; balance 0 (recharge_card puts money on it). Idempotent by the caller''s key.';

-- ── Money in and out (one card) ───────────────────────────────────────────────────────────
-- The shared body of recharge, consume and refund on a locked, checked card; returns the entry.
create or replace function private.card_post(p_card public.stored_value_cards, p_kind text, p_amount bigint,
  p_business_unit_id uuid, p_channel text, p_key text, p_reason text, p_refunds bigint)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_balance bigint;
  v_max bigint := (private.card_limits() ->> 'max_balance_fen')::bigint;
  v_entry bigint;
begin
  perform private.assert_card_usable(p_card);
  v_balance := p_card.balance_fen + p_amount;
  if v_balance < 0 then
    raise exception 'insufficient card balance: balance % fen, requested % fen', p_card.balance_fen, -p_amount
      using errcode = 'P0001', hint = 'card_insufficient_balance',
      detail = json_build_object('card_no', p_card.card_no, 'balance_fen', p_card.balance_fen, 'requested_fen', -p_amount)::text;
  end if;
  if v_balance > v_max then
    raise exception 'card balance would be % fen, over the most a card holds (% fen)', v_balance, v_max
      using errcode = '22023', hint = 'card_balance_over_cap',
      detail = json_build_object('card_no', p_card.card_no, 'balance_fen', p_card.balance_fen, 'max_fen', v_max)::text;
  end if;
  update public.stored_value_cards set balance_fen = v_balance, updated_at = now() where id = p_card.id;
  insert into public.card_ledger (card_id, kind, amount_fen, balance_after, business_unit_id, channel,
                                  idempotency_key, refunds_entry_id, reason)
  values (p_card.id, p_kind, p_amount, v_balance, p_business_unit_id, p_channel, p_key, p_refunds, p_reason)
  returning id into v_entry;
  return jsonb_build_object('entry_id', v_entry, 'card_id', p_card.id, 'balance_fen', v_balance, 'duplicate', false);
end
$$;

create or replace function public.recharge_card(
  p_card_id uuid,
  p_business_unit_id uuid,
  p_amount_fen bigint,
  p_channel text,
  p_idempotency_key text,
  p_reason text default null
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key text;
  v_card public.stored_value_cards;
  v_replay jsonb;
begin
  perform private.assert_card_access(p_business_unit_id, 'recharging a card');
  v_key := private.card_key(p_idempotency_key);
  perform private.assert_card_amount(p_amount_fen);
  perform private.assert_card_channel(p_channel);
  perform private.assert_card_reason(p_reason);
  perform private.assert_card_large_amount(p_amount_fen, p_business_unit_id);
  v_card := private.lock_card(p_card_id);
  v_replay := private.card_replay(v_key, 'recharge', p_card_id, p_amount_fen, p_business_unit_id);
  if v_replay is not null then
    return v_replay;
  end if;
  perform private.card_audit_reason('card-recharge', p_reason);
  return private.card_post(v_card, 'recharge', p_amount_fen, p_business_unit_id, p_channel, v_key, p_reason, null);
end
$$;
comment on function public.recharge_card(uuid, uuid, bigint, text, text, text) is
  'Puts money (fen) on an active card at a unit through a payment channel. Staff of the unit up to the staff cap, '
  'managers and directors above it, never above the single-amount cap or the balance cap. Idempotent by the '
  'caller''s key.';

create or replace function public.consume_card(
  p_card_id uuid,
  p_business_unit_id uuid,
  p_amount_fen bigint,
  p_idempotency_key text,
  p_reason text default null
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key text;
  v_card public.stored_value_cards;
  v_replay jsonb;
begin
  perform private.assert_card_access(p_business_unit_id, 'consuming from a card');
  v_key := private.card_key(p_idempotency_key);
  perform private.assert_card_amount(p_amount_fen);
  perform private.assert_card_reason(p_reason);
  v_card := private.lock_card(p_card_id);
  v_replay := private.card_replay(v_key, 'consume', p_card_id, -p_amount_fen, p_business_unit_id);
  if v_replay is not null then
    return v_replay;
  end if;
  perform private.card_audit_reason('card-consume', p_reason);
  return private.card_post(v_card, 'consume', -p_amount_fen, p_business_unit_id, null, v_key, p_reason, null);
end
$$;
comment on function public.consume_card(uuid, uuid, bigint, text, text) is
  'Spends money (fen) from an active card at a unit; never below zero (P0001 card_insufficient_balance). '
  'Idempotent by the caller''s key.';

create or replace function public.refund_card_consumption(
  p_entry_id bigint,
  p_amount_fen bigint,
  p_idempotency_key text,
  p_reason text default null
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key text;
  v_entry public.card_ledger;
  v_card public.stored_value_cards;
  v_replay jsonb;
  v_refunded bigint;
begin
  if p_entry_id is null then
    raise exception 'the consumption to refund is required' using errcode = '22023', hint = 'card_entry_missing';
  end if;
  select e.* into v_entry from public.card_ledger e where e.id = p_entry_id;
  if not found then
    perform private.raise_not_found(format('unknown card entry %s', p_entry_id), 'card_entry_unknown',
                                    json_build_object('entry_id', p_entry_id)::text);
  end if;
  perform private.assert_card_access(v_entry.business_unit_id, 'refunding a card consumption');
  v_key := private.card_key(p_idempotency_key);
  perform private.assert_card_amount(p_amount_fen);
  perform private.assert_card_reason(p_reason);
  perform private.assert_card_large_amount(p_amount_fen, v_entry.business_unit_id);
  if v_entry.kind <> 'consume' then
    raise exception 'entry % is a %, not a consumption: only consumptions are refunded', p_entry_id, v_entry.kind
      using errcode = '22023', hint = 'card_entry_not_consumption',
      detail = json_build_object('entry_id', p_entry_id, 'kind', v_entry.kind)::text;
  end if;
  v_card := private.lock_card(v_entry.card_id);
  v_replay := private.card_replay(v_key, 'refund', v_entry.card_id, p_amount_fen, v_entry.business_unit_id);
  if v_replay is not null then
    return v_replay;
  end if;
  -- The card row lock serialises every refund of this consumption.
  select coalesce(sum(e.amount_fen), 0) into v_refunded from public.card_ledger e where e.refunds_entry_id = p_entry_id;
  if v_refunded + p_amount_fen > -v_entry.amount_fen then
    raise exception 'refund of % fen is more than is left of the consumption (% fen consumed, % fen refunded)',
      p_amount_fen, -v_entry.amount_fen, v_refunded using errcode = 'P0001', hint = 'card_refund_over_consumption',
      detail = json_build_object('consumed_fen', -v_entry.amount_fen, 'refunded_fen', v_refunded,
                                 'left_fen', -v_entry.amount_fen - v_refunded, 'requested_fen', p_amount_fen)::text;
  end if;
  perform private.card_audit_reason('card-refund', p_reason);
  return private.card_post(v_card, 'refund', p_amount_fen, v_entry.business_unit_id, null, v_key, p_reason, p_entry_id);
end
$$;
comment on function public.refund_card_consumption(bigint, bigint, text, text) is
  'Returns part or all of a consumption to its card (never more than it took, all refunds together), at the '
  'consumption''s unit; the card must be active. Idempotent by the caller''s key.';

-- ── Bulk recharge ────────────────────────────────────────────────────────────────────────
-- p_items: [{"card_id": uuid, "amount_fen": int}, ...], at most bulk_max_items, each card once. All or
-- nothing: one bad item refuses the whole batch (its index in DETAIL). Item i posts with key <key>#<i>.
create or replace function public.recharge_cards_bulk(
  p_business_unit_id uuid,
  p_items jsonb,
  p_channel text,
  p_idempotency_key text,
  p_reason text default null
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_max int := (private.card_limits() ->> 'bulk_max_items')::int;
  v_key text;
  v_item record;
  v_results jsonb := '[]';
  v_total bigint := 0;
begin
  perform private.assert_card_access(p_business_unit_id, 'recharging cards');
  v_key := private.card_key(p_idempotency_key);
  perform private.assert_card_channel(p_channel);
  perform private.assert_card_reason(p_reason);
  if p_items is null or jsonb_typeof(p_items) <> 'array' or jsonb_array_length(p_items) = 0
     or jsonb_array_length(p_items) > v_max then
    raise exception 'a bulk recharge lists 1 to % cards', v_max using errcode = '22023',
      hint = 'card_bulk_invalid', detail = json_build_object('max', v_max)::text;
  end if;
  if exists (select 1 from jsonb_array_elements(p_items) x
             where not coalesce(jsonb_typeof(x) = 'object' and jsonb_typeof(x -> 'card_id') = 'string'
                and (x ->> 'card_id') ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
                and jsonb_typeof(x -> 'amount_fen') = 'number' and (x ->> 'amount_fen') ~ '^[0-9]{1,12}$', false)) then
    raise exception 'every bulk item is {card_id, amount_fen} with a whole amount of fen' using errcode = '22023',
      hint = 'card_bulk_invalid', detail = json_build_object('max', v_max)::text;
  end if;
  if (select count(distinct x ->> 'card_id') from jsonb_array_elements(p_items) x) <> jsonb_array_length(p_items) then
    raise exception 'a card appears twice in the bulk recharge' using errcode = '22023',
      hint = 'card_bulk_duplicate_card', detail = '{}';
  end if;
  perform private.card_audit_reason('card-bulk-recharge', p_reason);
  -- Cards in id order (lock order), each through the single recharge.
  for v_item in
    select (x ->> 'card_id')::uuid as card_id, (x ->> 'amount_fen')::bigint as amount, (n - 1)::int as idx
    from jsonb_array_elements(p_items) with ordinality as t(x, n)
    order by (x ->> 'card_id')::uuid
  loop
    perform private.assert_card_amount(v_item.amount);
    v_total := v_total + v_item.amount;
    v_results := v_results || jsonb_build_array(
      public.recharge_card(v_item.card_id, p_business_unit_id, v_item.amount, p_channel,
                           p_idempotency_key || '#' || v_item.idx, p_reason) || jsonb_build_object('index', v_item.idx));
  end loop;
  perform private.assert_card_large_amount(v_total, p_business_unit_id);
  return jsonb_build_object('count', jsonb_array_length(v_results), 'total_fen', v_total,
    'items', (select jsonb_agg(r order by (r ->> 'index')::int) from jsonb_array_elements(v_results) r));
end
$$;
comment on function public.recharge_cards_bulk(uuid, jsonb, text, text, text) is
  'Recharges several cards in one transaction (all or nothing), each as recharge_card with key <key>#<index>; '
  'the batch total counts against the staff cap.';

-- ── Status changes ───────────────────────────────────────────────────────────────────────
-- freeze, unfreeze, report_loss, cancel_loss, cancel: staff of the issuing unit (cancel: its managers and
-- directors, with a zero balance). Each is audited with its reason; repeating the same change is a no-op.
create or replace function public.set_card_status(p_card_id uuid, p_action text, p_reason text)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_card public.stored_value_cards;
  v_from public.card_status[];
  v_to public.card_status;
begin
  if p_card_id is null then
    raise exception 'card is required' using errcode = '22023', hint = 'card_missing';
  end if;
  select c.* into v_card from public.stored_value_cards c where c.id = p_card_id;
  if not found then
    perform private.raise_not_found(format('unknown card %s', p_card_id), 'card_unknown',
                                    json_build_object('card_id', p_card_id)::text);
  end if;
  perform private.assert_card_access(v_card.issuing_unit_id, 'changing a card''s status');
  case p_action
    when 'freeze' then v_from := '{active}'; v_to := 'frozen';
    when 'unfreeze' then v_from := '{frozen}'; v_to := 'active';
    when 'report_loss' then v_from := '{active,frozen}'; v_to := 'lost';
    when 'cancel_loss' then v_from := '{lost}'; v_to := 'active';
    when 'cancel' then v_from := '{active,frozen,lost}'; v_to := 'cancelled';
    else
      raise exception 'unknown card action % (freeze, unfreeze, report_loss, cancel_loss or cancel)', coalesce(p_action, 'null')
        using errcode = '22023', hint = 'card_action_unknown', detail = json_build_object('action', p_action)::text;
  end case;
  if p_reason is null or btrim(p_reason) = '' then
    raise exception 'a reason is required' using errcode = '22023', hint = 'reason_required';
  end if;
  perform private.assert_card_reason(p_reason);
  if p_action = 'cancel' and not private.is_system_caller()
     and not private.has_any_role('{manager,director}'::public.app_role[], v_card.issuing_unit_id) then
    raise exception 'cancelling a card is for managers and directors of its unit' using errcode = '42501',
      hint = 'card_cancel_needs_manager', detail = json_build_object('card_no', v_card.card_no)::text;
  end if;
  v_card := private.lock_card(p_card_id);
  if v_card.status = v_to then
    return jsonb_build_object('card_id', v_card.id, 'status', v_card.status, 'changed', false);
  end if;
  if not (v_card.status = any (v_from)) then
    raise exception 'card % is %: % is not possible', v_card.card_no, v_card.status, p_action using errcode = '22023',
      hint = 'card_status_transition', detail = json_build_object('card_no', v_card.card_no, 'status', v_card.status,
                                                                  'action', p_action)::text;
  end if;
  if p_action = 'cancel' and v_card.balance_fen <> 0 then
    raise exception 'card % still holds % fen: refund or replace it before cancelling', v_card.card_no, v_card.balance_fen
      using errcode = '22023', hint = 'card_balance_not_zero',
      detail = json_build_object('card_no', v_card.card_no, 'balance_fen', v_card.balance_fen)::text;
  end if;
  perform private.card_audit_reason('card-' || replace(p_action, '_', '-'), p_reason);
  update public.stored_value_cards set status = v_to, status_reason = btrim(p_reason), updated_at = now()
  where id = p_card_id;
  return jsonb_build_object('card_id', v_card.id, 'status', v_to, 'changed', true);
end
$$;
comment on function public.set_card_status(uuid, text, text) is
  'Freezes, unfreezes, reports lost, cancels the loss report or cancels a card (actions freeze, unfreeze, '
  'report_loss, cancel_loss, cancel), with a reason (audited).';

-- ── Replace ──────────────────────────────────────────────────────────────────────────────
create or replace function public.replace_card(
  p_card_id uuid,
  p_idempotency_key text,
  p_reason text,
  p_new_card_no text default null
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key text;
  v_old public.stored_value_cards;
  v_new public.stored_value_cards;
  v_prev public.card_ledger;
  v_no text := upper(btrim(p_new_card_no));
  v_out bigint;
  v_in bigint;
begin
  if p_card_id is null then
    raise exception 'card is required' using errcode = '22023', hint = 'card_missing';
  end if;
  select c.* into v_old from public.stored_value_cards c where c.id = p_card_id;
  if not found then
    perform private.raise_not_found(format('unknown card %s', p_card_id), 'card_unknown',
                                    json_build_object('card_id', p_card_id)::text);
  end if;
  perform private.assert_card_access(v_old.issuing_unit_id, 'replacing a card');
  v_key := private.card_key(p_idempotency_key);
  if p_reason is null or btrim(p_reason) = '' then
    raise exception 'a reason is required' using errcode = '22023', hint = 'reason_required';
  end if;
  perform private.assert_card_reason(p_reason);
  v_old := private.lock_card(p_card_id);
  select e.* into v_prev from public.card_ledger e where e.idempotency_key = v_key || ':out';
  if found then
    if v_prev.card_id <> p_card_id then
      raise exception 'idempotency key was already used with different parameters: card' using errcode = '23505',
        hint = 'idempotency_key_reused', detail = json_build_object('differs', array['card'], 'entry_id', v_prev.id)::text;
    end if;
    select c.* into v_new from public.stored_value_cards c where c.id = v_prev.related_card_id;
    return jsonb_build_object('card_id', v_new.id, 'card_no', v_new.card_no, 'balance_fen', -v_prev.amount_fen,
                              'duplicate', true);
  end if;
  if v_old.status not in ('active', 'frozen', 'lost') then
    raise exception 'card % is %: it cannot be replaced', v_old.card_no, v_old.status using errcode = '22023',
      hint = 'card_status_transition',
      detail = json_build_object('card_no', v_old.card_no, 'status', v_old.status, 'action', 'replace')::text;
  end if;
  if v_no is not null and v_no !~ '^[A-Z0-9]{4,32}$' then
    raise exception 'card number % is not 4 to 32 letters or digits', p_new_card_no using errcode = '22023',
      hint = 'card_no_invalid', detail = json_build_object('card_no', p_new_card_no)::text;
  end if;
  if v_no is not null and exists (select 1 from public.stored_value_cards c where c.card_no = v_no) then
    raise exception 'card number % is already issued', v_no using errcode = '23505',
      hint = 'card_no_taken', detail = json_build_object('card_no', v_no)::text;
  end if;
  perform private.card_audit_reason('card-replace', p_reason);
  insert into public.stored_value_cards (card_no, type_code, member_id, issuing_unit_id, balance_fen, replaces_card_id)
  values (coalesce(v_no, 'SV' || nextval('public.card_no_seq')::text), v_old.type_code, v_old.member_id,
          v_old.issuing_unit_id, v_old.balance_fen, v_old.id)
  returning * into v_new;
  update public.stored_value_cards
  set status = 'replaced', balance_fen = 0, replaced_by_card_id = v_new.id, status_reason = btrim(p_reason),
      updated_at = now()
  where id = v_old.id;
  insert into public.card_ledger (card_id, kind, amount_fen, balance_after, business_unit_id, idempotency_key,
                                  related_card_id, reason)
  values (v_old.id, 'transfer_out', -v_old.balance_fen, 0, v_old.issuing_unit_id, v_key || ':out', v_new.id, p_reason)
  returning id into v_out;
  insert into public.card_ledger (card_id, kind, amount_fen, balance_after, business_unit_id, idempotency_key,
                                  related_card_id, reason)
  values (v_new.id, 'transfer_in', v_old.balance_fen, v_old.balance_fen, v_old.issuing_unit_id, v_key || ':in',
          v_old.id, p_reason)
  returning id into v_in;
  return jsonb_build_object('card_id', v_new.id, 'card_no', v_new.card_no, 'balance_fen', v_new.balance_fen,
                            'out_entry_id', v_out, 'in_entry_id', v_in, 'duplicate', false);
exception when unique_violation then
  if sqlerrm like '%card_no%' then
    raise exception 'card number % is already issued', v_no using errcode = '23505',
      hint = 'card_no_taken', detail = json_build_object('card_no', v_no)::text;
  end if;
  raise;
end
$$;
comment on function public.replace_card(uuid, text, text, text) is
  'Replaces an active, frozen or lost card by a new one of the same type, member and unit carrying its exact '
  'balance (transfer_out / transfer_in entries, one transaction); the old card becomes replaced with balance 0.';

-- ── Consumption report ───────────────────────────────────────────────────────────────────
create or replace view public.card_consumptions with (security_invoker = true) as
  select e.id, e.card_id, c.card_no, c.type_code, c.member_id, m.member_no, m.name as member_name,
         e.business_unit_id, -e.amount_fen as amount_fen,
         coalesce((select sum(r.amount_fen) from public.card_ledger r where r.refunds_entry_id = e.id), 0)::bigint
           as refunded_fen,
         e.operator_id, p.display_name as operator_name, e.reason, e.occurred_at
  from public.card_ledger e
  join public.stored_value_cards c on c.id = e.card_id
  left join public.members m on m.id = c.member_id
  left join public.staff_profiles p on p.user_id = e.operator_id
  where e.kind = 'consume';
comment on view public.card_consumptions is
  'Card consumptions with card, member, unit, amount, what was refunded of it and the operator: the consumption report.';

-- ── Append-only, audit ───────────────────────────────────────────────────────────────────
create trigger append_only before update or delete on public.card_ledger
  for each row execute function private.refuse_change();
create trigger append_only_truncate before truncate on public.card_ledger
  for each statement execute function private.refuse_change();
create trigger keep_cards before delete on public.stored_value_cards
  for each row execute function private.refuse_change();
create trigger keep_cards_truncate before truncate on public.stored_value_cards
  for each statement execute function private.refuse_change();
create trigger audit after insert or update on public.stored_value_cards
  for each row execute function private.audit_row();
create trigger audit after insert on public.card_ledger
  for each row execute function private.audit_row();

-- ── Policies and grants ──────────────────────────────────────────────────────────────────
call private.add_admin_managed_policies('public.card_types', 'card types');
alter table public.stored_value_cards enable row level security;
alter table public.card_ledger enable row level security;
-- Every staff member reads cards and their ledger (a card is used at any unit's counter); only the functions write.
create policy "staff read cards" on public.stored_value_cards
  for select to authenticated using ((select private.is_staff_user()));
create policy "staff read card ledger" on public.card_ledger
  for select to authenticated using ((select private.is_staff_user()));

revoke all on public.card_types, public.stored_value_cards, public.card_ledger, public.card_consumptions from anon;
-- Card types change with a migration (their labels live in the app), so the API only reads them.
grant select on public.card_types to authenticated;
grant select on public.stored_value_cards, public.card_ledger, public.card_consumptions to authenticated;
grant select on public.card_types, public.stored_value_cards, public.card_ledger, public.card_consumptions to service_role;
revoke all on sequence public.card_no_seq from anon, authenticated;

revoke all on function private.card_limits(), private.assert_card_access(uuid, text), private.card_key(text),
  private.assert_card_amount(bigint), private.assert_card_large_amount(bigint, uuid), private.assert_card_reason(text),
  private.assert_card_channel(text), private.lock_card(uuid), private.assert_card_usable(public.stored_value_cards),
  private.card_replay(text, text, uuid, bigint, uuid, text[]), private.card_audit_reason(text, text),
  private.card_post(public.stored_value_cards, text, bigint, uuid, text, text, text, bigint)
  from public, anon, authenticated;
revoke all on function public.issue_card(uuid, text, text, text, uuid, text),
  public.recharge_card(uuid, uuid, bigint, text, text, text), public.consume_card(uuid, uuid, bigint, text, text),
  public.refund_card_consumption(bigint, bigint, text, text), public.recharge_cards_bulk(uuid, jsonb, text, text, text),
  public.set_card_status(uuid, text, text), public.replace_card(uuid, text, text, text)
  from public, anon;
grant execute on function public.issue_card(uuid, text, text, text, uuid, text),
  public.recharge_card(uuid, uuid, bigint, text, text, text), public.consume_card(uuid, uuid, bigint, text, text),
  public.refund_card_consumption(bigint, bigint, text, text), public.recharge_cards_bulk(uuid, jsonb, text, text, text),
  public.set_card_status(uuid, text, text), public.replace_card(uuid, text, text, text)
  to authenticated, service_role;
