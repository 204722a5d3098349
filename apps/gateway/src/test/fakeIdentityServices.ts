import { randomUUID } from 'node:crypto';
import { auth, common, user } from '@uitgo/grpc';
import { AppError, createGrpcServer, createLogger, createMetrics, requestContextOf, type RequestContext } from '@uitgo/kit';
import type { CallContext } from 'nice-grpc';
import type { Server } from 'nice-grpc';
import { TokenIssuer } from './tokenIssuer.js';

const ROLE_NAMES = { [common.Role.ROLE_PASSENGER]: 'passenger', [common.Role.ROLE_DRIVER]: 'driver', [common.Role.ROLE_ADMIN]: 'admin' } as const;
type KnownRole = keyof typeof ROLE_NAMES;

interface Account {
  id: string;
  email: string;
  password: string;
  role: KnownRole;
  fullName: string;
  phone?: string;
}

/**
 * Test doubles of the auth and user services behind the kit's real gRPC server (so errors,
 * trace ids and callers cross the wire as with the real services). They keep just enough
 * state to answer like the protos say, and record what the gateway sent.
 */
export class FakeIdentityServices {
  readonly calls: Record<string, number> = {};
  readonly contexts: { method: string; context: RequestContext | undefined }[] = [];
  readonly loginIps: string[] = [];
  /** When set, Register waits for it: lets a test hold the first of concurrent requests. */
  registerGate: Promise<void> | undefined;
  /** When set, GetProfile waits for what it returns: lets a test make the user service slow. */
  profileDelay: (() => Promise<void>) | undefined;
  /** When set, the next CreateDocument fails with this error (once). */
  failNextCreateDocument: AppError | undefined;
  readonly accounts = new Map<string, Account>();
  readonly profiles = new Map<string, user.Profile>();
  readonly documents = new Map<string, user.Document>();
  private readonly sessions = new Map<string, { userId: string; revoked: boolean }>();
  private readonly refreshTokens = new Map<string, { sessionId: string; spent: boolean }>();

  private constructor(
    readonly issuer: TokenIssuer,
    private readonly server: Server,
    readonly address: string,
  ) {}

  static async start(): Promise<FakeIdentityServices> {
    const logger = createLogger({ service: 'fake', level: 'silent' });
    const { server } = createGrpcServer({ logger, metrics: createMetrics('fake', { defaults: false }) });
    const issuer = await TokenIssuer.create();
    // The implementations need the instance, which needs the port the server listens on.
    const ref: { current?: FakeIdentityServices } = {};
    server.add(auth.AuthServiceDefinition, authImplementation(() => ref.current!));
    server.add(user.UserServiceDefinition, userImplementation(() => ref.current!));
    const port = await server.listen('127.0.0.1:0');
    ref.current = new FakeIdentityServices(issuer, server, `127.0.0.1:${port}`);
    return ref.current;
  }

  stop(): Promise<void> {
    return this.server.shutdown();
  }

  record(method: string, callContext: CallContext): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    this.contexts.push({ method, context: requestContextOf(callContext) });
  }

  /** Creates an account directly, e.g. the bootstrap admin. */
  addAccount(fields: Omit<Account, 'id'>): Account {
    const account = { id: randomUUID(), ...fields };
    this.accounts.set(account.email, account);
    this.profiles.set(account.id, {
      id: account.id,
      email: account.email,
      role: account.role,
      fullName: account.fullName,
      phone: account.phone,
      verificationStatus: user.VerificationStatus.VERIFICATION_STATUS_UNVERIFIED,
      createTime: new Date('2025-01-01T00:00:00Z'),
      updateTime: new Date('2025-01-01T00:00:00Z'),
    });
    return account;
  }

  async openSession(account: Account): Promise<auth.TokenPair> {
    const sessionId = randomUUID();
    this.sessions.set(sessionId, { userId: account.id, revoked: false });
    return this.tokensFor(account, sessionId);
  }

  async tokensFor(account: Account, sessionId: string): Promise<auth.TokenPair> {
    const refreshToken = randomUUID();
    this.refreshTokens.set(refreshToken, { sessionId, spent: false });
    const accessToken = await this.issuer.sign({ sub: account.id, role: ROLE_NAMES[account.role], sid: sessionId });
    return { accessToken, refreshToken, expiresInSeconds: 900, tokenType: 'Bearer' };
  }

  userOf(account: Account): auth.User {
    return { id: account.id, email: account.email, role: account.role, fullName: account.fullName, phone: account.phone, createTime: new Date() };
  }

  accountById(id: string): Account | undefined {
    return [...this.accounts.values()].find((a) => a.id === id);
  }

  refresh(token: string): Promise<auth.TokenPair> {
    const entry = this.refreshTokens.get(token);
    if (!entry) throw new AppError('TOKEN_INVALID', 'unknown refresh token');
    const session = this.sessions.get(entry.sessionId)!;
    if (entry.spent || session.revoked) {
      session.revoked = true;
      throw new AppError('SESSION_REVOKED', 'refresh token reused', { sessionId: entry.sessionId });
    }
    entry.spent = true;
    return this.tokensFor(this.accountById(session.userId)!, entry.sessionId);
  }

  logout(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session) session.revoked = true;
  }
}

function callerOf(callContext: CallContext) {
  const caller = requestContextOf(callContext).caller;
  if (!caller) throw new AppError('UNAUTHENTICATED', 'no caller in metadata');
  return caller;
}

function authImplementation(fake: () => FakeIdentityServices): auth.AuthServiceImplementation {
  const unused = async (): Promise<never> => {
    throw new AppError('INTERNAL', 'not used by the gateway');
  };
  return {
    async register(request, context) {
      const f = fake();
      f.record('register', context);
      if (f.registerGate) await f.registerGate;
      if (f.accounts.has(request.email)) throw new AppError('EMAIL_TAKEN', 'An account with this email already exists');
      if (request.role !== common.Role.ROLE_PASSENGER && request.role !== common.Role.ROLE_DRIVER) {
        throw new AppError('VALIDATION_FAILED', 'role must be passenger or driver');
      }
      const account = f.addAccount({ email: request.email, password: request.password, role: request.role, fullName: request.fullName, ...(request.phone ? { phone: request.phone } : {}) });
      return { user: f.userOf(account), tokens: await f.openSession(account) };
    },
    async login(request, context) {
      const f = fake();
      f.record('login', context);
      f.loginIps.push(request.clientIp);
      const account = f.accounts.get(request.email);
      if (!account || account.password !== request.password) throw new AppError('INVALID_CREDENTIALS', 'Email or password is incorrect');
      return { user: f.userOf(account), tokens: await f.openSession(account) };
    },
    async refresh(request, context) {
      const f = fake();
      f.record('refresh', context);
      return { tokens: await f.refresh(request.refreshToken) };
    },
    async logout(_request, context) {
      const f = fake();
      f.record('logout', context);
      const { sessionId } = callerOf(context);
      if (!sessionId) throw new AppError('UNAUTHENTICATED', 'no session in metadata');
      f.logout(sessionId);
      return {};
    },
    async getMe(_request, context) {
      const f = fake();
      f.record('getMe', context);
      const account = f.accountById(callerOf(context).userId);
      if (!account) throw new AppError('USER_NOT_FOUND', 'User not found');
      return { user: f.userOf(account) };
    },
    async getJwks(_request, context) {
      const f = fake();
      f.record('getJwks', context);
      return { keys: f.issuer.jwks() };
    },
    validateToken: unused,
    authorizeRequest: unused,
    rotateSigningKeys: unused,
  };
}

function userImplementation(fake: () => FakeIdentityServices): user.UserServiceImplementation {
  const unused = async (): Promise<never> => {
    throw new AppError('INTERNAL', 'not used by the gateway');
  };
  const profileFor = (context: CallContext, userId: string, selfOrAdmin = true) => {
    const caller = callerOf(context);
    if (selfOrAdmin && caller.userId !== userId && caller.role !== 'admin') throw new AppError('FORBIDDEN', 'not yours');
    const profile = fake().profiles.get(userId);
    if (!profile) throw new AppError('USER_NOT_FOUND', 'User not found');
    return profile;
  };
  return {
    async getProfile(request, context) {
      fake().record('getProfile', context);
      await fake().profileDelay?.();
      return { profile: profileFor(context, request.userId) };
    },
    async updateProfile(request, context) {
      fake().record('updateProfile', context);
      const profile = profileFor(context, request.userId);
      if (request.fullName !== undefined) profile.fullName = request.fullName;
      if (request.phone !== undefined) profile.phone = request.phone === '' ? undefined : request.phone;
      return { profile };
    },
    async listProfiles(request, context) {
      const f = fake();
      f.record('listProfiles', context);
      if (callerOf(context).role !== 'admin') throw new AppError('FORBIDDEN', 'admins only');
      const all = [...f.profiles.values()].filter(
        (p) =>
          (request.role === common.Role.ROLE_UNSPECIFIED || p.role === request.role) &&
          (request.verificationStatus === user.VerificationStatus.VERIFICATION_STATUS_UNSPECIFIED ||
            p.verificationStatus === request.verificationStatus),
      );
      const start = request.pageToken ? Number(request.pageToken) : 0;
      if (!Number.isInteger(start)) throw new AppError('VALIDATION_FAILED', 'bad page token');
      const size = request.pageSize || 20;
      const next = start + size < all.length ? String(start + size) : '';
      return { profiles: all.slice(start, start + size), nextPageToken: next };
    },
    async createDocument(request, context) {
      const f = fake();
      f.record('createDocument', context);
      if (f.failNextCreateDocument) {
        const error = f.failNextCreateDocument;
        f.failNextCreateDocument = undefined;
        throw error;
      }
      profileFor(context, request.userId);
      const document: user.Document = {
        id: randomUUID(),
        userId: request.userId,
        kind: request.kind,
        status: user.DocumentStatus.DOCUMENT_STATUS_AWAITING_UPLOAD,
        contentType: request.contentType,
        sizeBytes: request.sizeBytes,
        createTime: new Date(),
        uploadTime: undefined,
        downloadExpireTime: undefined,
      };
      f.documents.set(document.id, document);
      const expireTime = new Date(Date.now() + 600_000);
      return {
        document,
        upload: { url: `https://objects.example/${document.id}?sig=x`, method: 'PUT', headers: { 'content-type': request.contentType }, fields: {}, expireTime },
      };
    },
    async completeDocument(request, context) {
      const f = fake();
      f.record('completeDocument', context);
      const document = f.documents.get(request.documentId);
      if (!document || document.userId !== request.userId) throw new AppError('DOCUMENT_NOT_FOUND', 'Document not found');
      document.status = user.DocumentStatus.DOCUMENT_STATUS_UPLOADED;
      document.downloadUrl = `https://objects.example/${document.id}?download=1`;
      return { document };
    },
    async listDocuments(request, context) {
      const f = fake();
      f.record('listDocuments', context);
      profileFor(context, request.userId);
      return { documents: [...f.documents.values()].filter((d) => d.userId === request.userId) };
    },
    async decideVerification(request, context) {
      fake().record('decideVerification', context);
      if (callerOf(context).role !== 'admin') throw new AppError('FORBIDDEN', 'admins only');
      const profile = profileFor(context, request.userId);
      profile.verificationStatus =
        request.decision === user.VerificationDecision.VERIFICATION_DECISION_VERIFIED
          ? user.VerificationStatus.VERIFICATION_STATUS_VERIFIED
          : user.VerificationStatus.VERIFICATION_STATUS_REJECTED;
      return { profile };
    },
    createProfile: unused,
    getVerificationStatus: unused,
    listVerificationDecisions: unused,
  };
}
