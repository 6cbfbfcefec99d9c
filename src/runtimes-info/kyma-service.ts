/**
 * Name of the catalog's only service (KEB's). Kept here until the catalog module exports it, so that the
 * runtimes listing does not depend on the catalog's internals.
 */
export const KYMA_SERVICE_NAME = 'kymaruntime';
