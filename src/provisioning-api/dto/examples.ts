/** Example values shared by the Provisioning Service API DTOs (Swagger only). */
export const EXAMPLE_ENVIRONMENT_ID = '9f3c2d1e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';
export const EXAMPLE_BINDING_ID = '3b1f9a4e-2c7d-4e8f-9a0b-1c2d3e4f5a6b';
export const EXAMPLE_SERVICE_ID = '47c9dcbf-ff30-448e-ab36-d3bad66ba281';
export const EXAMPLE_PLAN_ID = '361c511f-f939-4621-b228-d0fb79a1fe15';
export const EXAMPLE_SUBACCOUNT_ID = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
export const EXAMPLE_GLOBAL_ACCOUNT_ID = '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b';
export const EXAMPLE_DATE = '2026-11-22T14:10:44.123Z';
export const EXAMPLE_EXPIRES_AT = '2026-11-22T14:20:44.000Z';
export const EXAMPLE_KUBECONFIG = 'apiVersion: v1\nkind: Config\ncurrent-context: my-runtime\n...';
