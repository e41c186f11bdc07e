import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Principal, Public } from '@app/http';
import { ConsoleConfig } from '../console.config';
import { LoginDto } from './dto/login.dto';
import { OperatorTokenVerifier } from './operator-token.verifier';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session.cookie';
import { CurrentSession } from './session.guard';
import { ConsoleSession, ConsoleSessionStore } from './session.store';

export interface SessionView {
  operator: Principal;
  expiresAt: string;
  /** To send back in `X-CSRF-Token` on every state-changing request. */
  csrfToken: string;
}

@ApiTags('session')
@Controller('api/session')
export class SessionController {
  constructor(
    private readonly verifier: OperatorTokenVerifier,
    private readonly sessions: ConsoleSessionStore,
    private readonly config: ConsoleConfig,
  ) {}

  @Public()
  @Post()
  @ApiOperation({ summary: "Log in with an operator token of the console's region: sets the session cookie" })
  async login(
    @Body() body: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionView> {
    const { operator, expiresAt } = await this.verifier.verify(body.token);
    const { id, session } = this.sessions.open(operator, expiresAt, readSessionCookie(request, this.config));
    setSessionCookie(response, this.config, id, session.expiresAt);
    return view(session);
  }

  @Get()
  @ApiOperation({ summary: 'Who is logged in, until when, and the CSRF token of the session' })
  current(@CurrentSession() session: ConsoleSession): SessionView {
    return view(session);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out: ends the session and its event streams' })
  logout(@CurrentSession() session: ConsoleSession, @Res({ passthrough: true }) response: Response): void {
    this.sessions.end(session.key);
    clearSessionCookie(response, this.config);
  }
}

function view(session: ConsoleSession): SessionView {
  return { operator: session.operator, expiresAt: session.expiresAt.toISOString(), csrfToken: session.csrfToken };
}
