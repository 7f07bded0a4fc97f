// The banner above the chat that says when the server is unreachable or still loading its index.
import { fetchHealth } from './api.ts';
import { t } from './i18n.ts';
import type { AssistantSocket } from './socket.ts';

type Status = 'connecting' | 'online' | 'offline' | 'starting' | 'reconnected';

export function watchServerStatus(socket: AssistantSocket, banner: HTMLElement): { refresh(): void } {
  let status: Status = 'connecting';
  let everConnected = false;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;

  function show(): void {
    clearTimeout(hideTimer);
    document.body.dataset.connection = status;
    const text =
      status === 'offline' ? t('serverUnreachable') :
      status === 'starting' ? t('serverStarting') :
      status === 'reconnected' ? t('serverReconnected') : '';
    banner.textContent = text;
    banner.hidden = text === '';
    banner.className = `banner banner-${status}`;
    if (status === 'reconnected') hideTimer = setTimeout(() => set('online'), 2500);
  }

  function set(next: Status): void {
    status = next;
    show();
  }

  async function checkHealth(): Promise<void> {
    try {
      const health = await fetchHealth();
      if (health.status === 'starting') {
        set('starting');
        setTimeout(() => void checkHealth(), 2000);
      } else if (status === 'starting') {
        set('online');
      }
    } catch {
      // The socket's own events report an unreachable server.
    }
  }

  socket.on('connect', () => {
    set(everConnected && status === 'offline' ? 'reconnected' : 'online');
    everConnected = true;
    void checkHealth();
  });
  socket.on('disconnect', () => set('offline'));
  socket.on('connect_error', () => set('offline'));
  return { refresh: show };
}
