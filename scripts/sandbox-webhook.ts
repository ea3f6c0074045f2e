/** What an operator does once in Postmark's UI: point the server's Delivery and Bounce webhooks at this API. */
export async function pointPostmarkWebhookAt(
  url: string,
  env: NodeJS.ProcessEnv,
  sandboxUrl = 'http://127.0.0.1:4010',
) {
  const response = await fetch(`${sandboxUrl}/sandbox/postmark/webhook`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, username: env.POSTMARK_WEBHOOK_USER, password: env.POSTMARK_WEBHOOK_PASSWORD }),
  });
  if (response.status !== 204) throw new Error(`the sandbox refused the webhook: ${await response.text()}`);
}
