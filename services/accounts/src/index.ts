export * from './acl-file';
export * from './broker-accounts';
export * from './broker-reload';
export * from './local-users';
export * from './mosquitto-password';
export * from './password-file';
