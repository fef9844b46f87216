export {
  createManagementApi,
  MANAGEMENT_MOUNT_PATH,
  type ManagementApi,
  mountManagementApi,
  registerManagementApi,
} from './create-management-api.js';
export { ErrorBody, ManagementError } from './http/management-error.js';
export { MANAGEMENT_API_NAME, MANAGEMENT_SCOPES } from './management-scopes.js';
