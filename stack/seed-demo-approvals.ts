/**
 * Demo approval requests, made once on a freshly seeded database after the flows are synced: through the
 * real functions, each call as the demo user who would make it (their JWT claims set for the call), so
 * managers and the director find work waiting in 审批中心 on first sign-in.
 */
import type pg from "pg";

interface DemoStep {
  as: string;
  call: "submit" | "approve" | "reject";
  unit?: string;
  points?: number;
  category?: string;
  reason?: string;
  comment?: string;
}

/** Each request: who submits it for which unit, then who decides its steps. */
const REQUESTS: DemoStep[][] = [
  [{ as: "hotel.staff@demo.test", call: "submit", unit: "hotel", points: 2000, category: "customer_compensation", reason: "客房空调故障，按服务补救标准补偿积分" }],
  [{ as: "hotel.staff@demo.test", call: "submit", unit: "hotel", points: 800, category: "offline_event", reason: "周末亲子活动签到积分（线下登记）" }],
  [
    { as: "staff@demo.test", call: "submit", unit: "mall", points: 1500, category: "customer_compensation", reason: "大客户团购延迟发货，补偿积分" },
    { as: "mall.manager@demo.test", call: "approve", comment: "情况属实，同意" },
  ],
  [
    { as: "staff@demo.test", call: "submit", unit: "mall", points: 600, category: "offline_event", reason: "商场周年庆线下签到，补登活动积分" },
    { as: "mall.manager@demo.test", call: "approve", comment: "已核对签到表" },
  ],
  [
    { as: "hotel.staff@demo.test", call: "submit", unit: "hotel", points: 300, category: "other", reason: "会员生日当天入住，赠送积分" },
    { as: "manager@demo.test", call: "reject", comment: "生日礼遇已由规则自动发放，请勿重复申请" },
  ],
];

export async function asUser<T>(client: pg.Client, email: string, body: () => Promise<T>): Promise<T> {
  const { rows } = await client.query<{ user_id: string }>("select user_id from public.staff_profiles where email = $1", [email]);
  await client.query("begin");
  try {
    await client.query("select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)", [
      JSON.stringify({ sub: rows[0].user_id, role: "authenticated", aud: "authenticated" }),
    ]);
    const result = await body();
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}

export async function seedDemoApprovals(client: pg.Client) {
  for (const [index, steps] of REQUESTS.entries()) {
    let requestId = "";
    for (const step of steps) {
      if (step.call === "submit") {
        const { rows: members } = await client.query<{ id: string }>(
          `select m.id from public.members m join public.business_units u on u.id = m.home_business_unit_id
           where u.code = $1 and m.status = 'active' and m.merged_into is null
           order by m.member_no offset $2 limit 1`,
          [step.unit, index],
        );
        const unit = (await client.query<{ id: string }>("select id from public.business_units where code = $1", [step.unit])).rows[0].id;
        const data = { member_id: members[0].id, points: step.points, reason_category: step.category, reason: step.reason };
        requestId = await asUser(client, step.as, async () =>
          (await client.query<{ id: string }>("select (public.submit_approval_request('points-adjustment', $1, $2, $3)).id", [
            unit, JSON.stringify(data), `demo-approval-${index}`,
          ])).rows[0].id);
      } else {
        await asUser(client, step.as, () =>
          client.query(
            `select public.decide_approval_task((select id from public.approval_tasks where request_id = $1 and status = 'pending'), $2, $3)`,
            [requestId, step.call, step.comment],
          ));
      }
    }
  }
  return REQUESTS.length;
}
