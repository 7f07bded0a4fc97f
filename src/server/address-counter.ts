// Counts open things (TCP connections, Socket.IO sessions) per client address against a cap; 0 = no cap.
import { clientAddress } from './client-address.ts';

export class AddressCounter {
  private readonly open = new Map<string, number>();

  constructor(readonly cap: number) {}

  /** Counts one more for the address and returns its release, or undefined when the address is at the cap. */
  acquire(remoteAddress: string | undefined): (() => void) | undefined {
    const address = clientAddress(remoteAddress);
    const count = this.open.get(address) ?? 0;
    if (this.cap > 0 && count >= this.cap) return undefined;
    this.open.set(address, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(address) ?? 1) - 1;
      if (left <= 0) this.open.delete(address);
      else this.open.set(address, left);
    };
  }

  count(remoteAddress: string | undefined): number {
    return this.open.get(clientAddress(remoteAddress)) ?? 0;
  }

  full(remoteAddress: string | undefined): boolean {
    return this.cap > 0 && this.count(remoteAddress) >= this.cap;
  }
}
