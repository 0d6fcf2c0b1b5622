-- The expiry run reports the points it expired beside the number of lots (shown after a manual run in the
-- rules centre). Same bodies as in the ledger migration, plus the points.
drop procedure private.expire_due_lots_batched(timestamptz, int, bigint);
drop function private.expire_lots_batch(timestamptz, uuid[]);

create or replace function private.expire_lots_batch(p_as_of timestamptz, p_members uuid[],
  out expired bigint, out busy boolean, out points bigint)
language plpgsql security definer set search_path = ''
as $$
declare
  v_ids bigint[];
  v_entries bigint;
begin
  perform private.assert_system_caller('expiring points');
  expired := 0;
  points := 0;
  busy := not pg_try_advisory_xact_lock(hashtext('public.expire_due_lots'));
  if busy or cardinality(p_members) = 0 then
    return;
  end if;

  perform 1 from public.point_balances b where b.member_id = any (p_members) order by b.member_id for update;
  -- Re-read under the locks: a redemption may have expired or spent some of these lots meanwhile.
  v_ids := array(select l.id from public.point_lots l
                 where l.member_id = any (p_members) and l.remaining_points > 0 and l.expires_at <= p_as_of);
  if cardinality(v_ids) = 0 then
    return;
  end if;

  with upd as (
    update public.point_lots l
    set expired_points = l.remaining_points, remaining_points = 0
    where l.id = any (v_ids) and l.remaining_points > 0
    returning l.id, l.member_id, l.business_unit_id, l.expires_at, l.expired_points as points
  ), numbered as (
    -- ids are drawn after the sort, so each member's highest entry id carries its final balance.
    select u.id, u.member_id, u.business_unit_id, u.expires_at, u.points,
           nextval('public.ledger_entries_id_seq') as entry_id,
           sum(u.points) over (partition by u.member_id order by u.expires_at, u.id) as running
    from upd u
    order by u.member_id, u.expires_at, u.id
  ), bal as (
    update public.point_balances b set balance = b.balance - t.total, updated_at = now()
    from (select u.member_id, sum(u.points) as total from upd u group by u.member_id) t
    where b.member_id = t.member_id
    returning b.member_id, b.balance + t.total as before
  ), entries as (
    insert into public.ledger_entries (id, member_id, business_unit_id, kind, points, balance_after, reason, occurred_at)
    overriding system value
    select n.entry_id, n.member_id, n.business_unit_id, 'expire', -n.points, bal.before - n.running,
           'points expired', n.expires_at
    from numbered n join bal on bal.member_id = n.member_id
    returning 1
  ), moves as (
    insert into public.ledger_lot_moves (entry_id, lot_id, points)
    select n.entry_id, n.id, -n.points from numbered n
  )
  select (select count(*) from numbered), (select count(*) from entries), (select coalesce(sum(n.points), 0) from numbered n)
  into expired, v_entries, points;
  if v_entries <> expired then
    raise exception 'ledger invariant violated: % lots expired but % entries written (missing balance rows)',
      expired, v_entries using errcode = 'XX000';
  end if;
end
$$;

create or replace procedure private.expire_due_lots_batched(
  p_as_of timestamptz default now(), p_batch_size int default 50000, inout p_expired bigint default 0,
  inout p_points bigint default 0)
language plpgsql
as $$
declare
  v_plan record;
  v_n int;
  v_from int := 1;
  v_to int;
  v_lots bigint;
  r record;
begin
  perform private.assert_expiry_args(p_as_of, p_batch_size);
  p_expired := 0;
  p_points := 0;
  select * into v_plan from private.due_members(p_as_of);
  v_n := cardinality(v_plan.members);
  while v_from <= v_n loop
    v_to := v_from;
    v_lots := v_plan.due_lots[v_from];
    while v_to < v_n and v_lots + v_plan.due_lots[v_to + 1] <= p_batch_size loop
      v_to := v_to + 1;
      v_lots := v_lots + v_plan.due_lots[v_to];
    end loop;
    select * into r from private.expire_lots_batch(p_as_of, v_plan.members[v_from:v_to]);
    exit when r.busy;
    p_expired := p_expired + r.expired;
    p_points := p_points + r.points;
    v_from := v_to + 1;
    commit;
  end loop;
end
$$;
comment on procedure private.expire_due_lots_batched(timestamptz, int, bigint, bigint) is
  'Nightly expiry, committing after each batch of whole members (up to p_batch_size due lots): '
  'call private.expire_due_lots_batched(now(), 50000, null). Returns the lots (p_expired) and points (p_points) '
  'expired. Restartable (a rerun plans again from what is still due) and safe to run concurrently (batches take a '
  'transaction advisory lock; a run that finds it taken stops, leaving the lots to the run that holds it).';

revoke all on function private.expire_lots_batch(timestamptz, uuid[]) from public, anon, authenticated;
revoke all on procedure private.expire_due_lots_batched(timestamptz, int, bigint, bigint) from public, anon, authenticated;
grant execute on function private.expire_lots_batch(timestamptz, uuid[]) to service_role;
grant execute on procedure private.expire_due_lots_batched(timestamptz, int, bigint, bigint) to service_role;
