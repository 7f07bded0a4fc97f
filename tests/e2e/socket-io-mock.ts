// A scripted Socket.IO server inside the browser's WebSocket (playwright's routeWebSocket), for states a real
// server cannot be made to show on demand: a rate limit, a failed answer. Speaks Engine.IO v4 / Socket.IO v5 frames.
import type { Page, WebSocketRoute } from 'playwright-core';

export type AskHandler = (payload: { question: string }, reply: {
  ack(response: unknown): void;
  emit(event: string, payload: unknown): void;
}) => void;

/** Route the page's Socket.IO connection to `onAsk`; every `ask` is answered by it, every `cancel` reported to `onCancel`. */
export async function mockSocketServer(page: Page, onAsk: AskHandler, onCancel: (payload: { id: string }) => void = () => undefined): Promise<void> {
  await page.routeWebSocket(/\/socket\.io\//, (ws: WebSocketRoute) => {
    ws.send(JSON.stringify({ sid: 'mock', upgrades: [], pingInterval: 25000, pingTimeout: 60000, maxPayload: 1e6 }).replace(/^/, '0'));
    ws.onMessage((frame) => {
      const text = String(frame);
      if (text === '40' || text.startsWith('40{')) {
        ws.send('40{"sid":"mock-socket"}');
        return;
      }
      const event = /^42(\d*)(\[.*\])$/s.exec(text);
      if (!event) return;
      const [name, payload] = JSON.parse(event[2] ?? '[]') as [string, { question: string; id: string }];
      if (name === 'cancel') onCancel(payload);
      if (name !== 'ask') return;
      const ackId = event[1];
      onAsk(payload, {
        ack: (response) => ws.send(`43${ackId}${JSON.stringify([response])}`),
        emit: (eventName, eventPayload) => ws.send(`42${JSON.stringify([eventName, eventPayload])}`),
      });
    });
  });
}

/** Make every Socket.IO connection fail at once, as when the server is down. */
export async function refuseSocketConnections(page: Page): Promise<void> {
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    void ws.close({ code: 1011, reason: 'server unreachable' });
  });
}
