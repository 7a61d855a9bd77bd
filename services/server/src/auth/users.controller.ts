import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { MIN_PASSWORD_LENGTH, USER_NAME_PATTERN } from '@meetnet/accounts';
import { ADMIN_ROLES, ROLES, type Role } from '@meetnet/contracts';
import { Roles } from './access-policy';
import { bodyValidator } from './request-body';
import { UserDirectory } from './user-directory.service';

interface NewUser {
  name: string;
  role: Role;
  password: string;
}
const validateNewUser = bodyValidator<NewUser>({
  type: 'object',
  additionalProperties: false,
  required: ['name', 'role', 'password'],
  properties: {
    name: { type: 'string', pattern: USER_NAME_PATTERN.source },
    role: { type: 'string', enum: [...ROLES] },
    password: { type: 'string', minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 },
  },
});

export interface UserSummary {
  name: string;
  role: Role;
  createdAt: string;
}

/** Local accounts, for admins. People from the identity provider are managed there. */
@ApiTags('admin')
@Controller('admin/users')
@Roles(...ADMIN_ROLES)
export class UsersController {
  constructor(private readonly users: UserDirectory) {}

  @Get()
  @ApiOperation({ summary: 'Local accounts (never their password hashes)' })
  list(): UserSummary[] {
    return this.users.store.list().map(({ name, role, createdAt }) => ({ name, role, createdAt }));
  }

  @Post()
  @ApiOperation({ summary: 'Creates a local account' })
  async create(@Body() body: unknown): Promise<UserSummary> {
    const { name, role, password } = validateNewUser(body);
    if (this.users.store.find(name)) throw new ConflictException(`User ${name} exists`);
    const user = await this.users.store.add(name, role, password);
    return { name: user.name, role: user.role, createdAt: user.createdAt };
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: "Removes a local account; that person's sessions stop at once" })
  remove(@Param('name') name: string): void {
    if (!this.users.store.remove(name)) throw new NotFoundException(`No user ${name}`);
  }
}
