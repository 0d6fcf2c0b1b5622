/**
 * The local mail catcher: maildev (npm), a real SMTP server with a web inbox and a REST API (GET /api/email), in
 * this process, mail kept in memory. `npm start` and the test stack run it; the engine's SMTP settings point at it
 * unless SMTP_HOST names a real server.
 */
import { MailDev } from "maildev";

export async function startMailCatcher(host: string, smtpPort: number, webPort: number) {
  const maildev = new MailDev({ smtp: smtpPort, ip: host, web: webPort, webIp: host, silent: true, verbose: false });
  await maildev.start();
  return { stop: () => maildev.stop() };
}
