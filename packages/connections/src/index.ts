export { type ConnectionsOptions, connectionsDefaults } from './connections-config.js';
export { createConnections } from './create-connections.js';
export { CALLBACK_PATH } from './flow/callback-url.js';
export type { Preset, PresetSetting, TokenEndpointAuthMethod } from './presets/preset.js';
export { PRESETS } from './presets/presets.js';
export {
  type MappingSource,
  OAUTH2_MAPPING,
  OIDC_MAPPING,
  PROFILE_FIELDS,
  type ProfileField,
  type ProfileMapping,
} from './profile/profile-mapping.js';
