import type { DeliverMessageInput } from '../shared/message';
import type { ClientProfile } from '../shared/profile-schema';
import { failureOf } from './failure';
import type { Bookkeeping } from './proxies';

/**
 * The client's profile as this message sees it: acceptance's (`prepared`) until it changes, then re-read by a
 * bookkeeping step. Concurrent channels that need a fresh profile share one read.
 */
export class ProfileSource {
  // Bumped by every profile change; a waiting channel wakes when it moves and re-plans.
  private changes = 0;
  // The generation the profile was read at; -1 asks for a read whatever the generation.
  private readAt: number;
  private profile: ClientProfile | undefined;
  private loadError: string | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly input: DeliverMessageInput,
    private readonly bookkeeping: () => Bookkeeping,
  ) {
    this.profile = input.prepared?.profile;
    this.readAt = input.prepared ? 0 : -1;
  }

  /** How many changes were signalled; a wait ends when it moves. */
  get generation(): number {
    return this.changes;
  }

  /** The profile last read, without reading again: what a settled channel's webhook goes by. */
  get latest(): ClientProfile | undefined {
    return this.profile;
  }

  /** Why the last read found no profile. */
  get error(): string | undefined {
    return this.loadError;
  }

  /** Whether this is acceptance's profile, the one its plans were made against. */
  fromAcceptance(profile: ClientProfile): boolean {
    return profile === this.input.prepared?.profile;
  }

  changed(): void {
    this.changes++;
  }

  /** Read again at the next `current()`, signalled or not. */
  forget(): void {
    this.readAt = -1;
  }

  /** The profile as of the latest change, read again if a change came after the last read. */
  async current(): Promise<ClientProfile | undefined> {
    while (this.readAt !== this.changes) {
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      await this.loading;
    }
    return this.profile;
  }

  private async load(): Promise<void> {
    const generation = this.changes;
    try {
      this.profile = await this.bookkeeping().loadClientProfile.executeWithOptions(
        { summary: `profile of ${this.input.clientId}` },
        [this.input.clientId],
      );
      this.loadError = undefined;
    } catch (err) {
      this.profile = undefined;
      this.loadError = failureOf(err).reason;
    }
    this.readAt = generation;
  }
}
