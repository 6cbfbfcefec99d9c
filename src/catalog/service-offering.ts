/** The one OSB service the broker offers; id and name are KEB's so existing platform registrations keep working. */
export const KYMA_SERVICE_ID = '47c9dcbf-ff30-448e-ab36-d3bad66ba281';
export const KYMA_SERVICE_NAME = 'kymaruntime';
export const KYMA_SERVICE_TAGS: readonly string[] = ['SAP', 'Kyma'];

export const KYMA_SERVICE_DESCRIPTION =
  'Managed Kubernetes runtime with Kyma modules for building cloud-native applications and extensions.';

export const KYMA_SERVICE_METADATA = {
  displayName: 'Kyma Environment',
  longDescription:
    'A managed Kubernetes cluster on the hyperscaler of your choice, provisioned and kept up to date by the ' +
    'broker, with Kyma modules for APIs, eventing, serverless functions and service bindings.',
  providerDisplayName: 'SAP',
  documentationUrl:
    'https://help.sap.com/docs/btp/sap-business-technology-platform/provisioning-and-update-parameters-in-kyma-environment',
  supportUrl: 'https://launchpad.support.sap.com/',
} as const;
