/** Longer timer delays overflow in Node and fire at once; such a deadline is never met. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** An async mutex whose waiters are served in order and may give up at a deadline. */
export class Mutex {
  #locked = false;
  readonly #waiters: ((granted: boolean) => void)[] = [];

  /**
   * Resolves `true` once the mutex is this caller's, or `false` when `deadline` (a
   * `performance.now()` time) passes first.
   */
  acquire(deadline = Infinity): Promise<boolean> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve(true);
    }

    return new Promise((resolve) => {
      const waiter = (granted: boolean): void => {
        clearTimeout(timer);
        resolve(granted);
      };
      const ms = Math.max(0, deadline - performance.now());
      const timer = ms <= MAX_TIMER_MS ? setTimeout(() => this.#giveUp(waiter), ms) : undefined;
      this.#waiters.push(waiter);
    });
  }

  /** Hands the mutex to the next waiter, or frees it. */
  release(): void {
    const next = this.#waiters.shift();
    if (next) next(true);
    else this.#locked = false;
  }

  #giveUp(waiter: (granted: boolean) => void): void {
    const index = this.#waiters.indexOf(waiter);
    if (index === -1) return;

    this.#waiters.splice(index, 1);
    waiter(false);
  }
}
