import type { Migration } from 'kysely/migration';
import * as decisionsAuthChangeNotify from './20261205T0240_decisions_auth_change_notify.ts';
import * as bulk60MailTemplate from './bulk60_20261205T0500_mail_template.ts';
import * as regStructureScopeNotify from './reg_20261205T0600_structure_scope_notify.ts';
import * as referential from './20261123T1100_referential.ts';
import * as structures from './20261123T1101_structures.ts';
import * as mail from './20261123T1110_mail.ts';
import * as auth from './20261123T1120_auth.ts';
import * as accessMatrix from './20261123T1150_access_matrix.ts';
import * as register from './20261123T1130_register.ts';
import * as directory from './20261123T1160_directory.ts';
import * as onboarding from './20261123T1200_onboarding.ts';
import * as registerWizard from './20261123T1230_register_wizard.ts';
import * as ecps from './20261123T1240_ecps.ts';
import * as bulkImport from './20261123T1310_bulk_import.ts';
import * as preregistration from './20261123T1320_preregistration.ts';
import * as contactChange from './20261123T1330_contact_change.ts';
import * as bulkImportRequests from './20261123T1410_bulk_import_requests.ts';
import * as directoryExtraction from './20261123T1430_directory_extraction.ts';
import * as directoryNameSearch from './20261123T1450_directory_name_search.ts';
import * as directorySearchOrder from './20261123T1500_directory_search_order.ts';
import * as directoryNameStatistics from './20261123T1510_directory_name_statistics.ts';
import * as directorySearchCovering from './20261123T1520_directory_search_covering.ts';
import * as apiKeyStructure from './20261123T1540_api_key_structure.ts';
import * as structureScope from './20261204T1100_structure_scope.ts';
import * as personNameBirthDate from './20261204T1400_person_name_birth_date.ts';
import * as supportCguContract from './20261204T1300_support_cgu_contract.ts';
import * as bulkImportRowPerson from './20261204T1800_bulk_import_row_person.ts';
import * as scale3mDirectoryNameWords from './scale3m_20261204T2230_directory_name_words.ts';
import * as dashOperatorAggregates from './20261204T2230_dash_operator_aggregates.ts';
import * as regPersonDuplicateProbe from './20261205T0230_reg_person_duplicate_probe.ts';
import * as searchNameWordOrder from './scale3m_20261205T0220_search_name_word_order.ts';
import * as directoryReadCacheNotify from './scale3m_20261205T0600_directory_read_cache_notify.ts';
import * as nameWordPhrase from './scale3m_20261205T0610_name_word_phrase.ts';
import * as accessMatrixSeedLabels from './20261205T0800_access_matrix_seed_labels.ts';
import * as directoryPractitionerCoveringKey from './20261205T1000_directory_practitioner_covering_key.ts';

/**
 * Every migration, in order. Migrations are frozen once landed: add a new file, never edit one.
 * Listed statically (not read from disk) so they work the same from tsx, tests and a bundle.
 */
export const migrations: Record<string, Migration> = {
  '20261123T1100_referential': referential,
  '20261123T1101_structures': structures,
  '20261123T1110_mail': mail,
  '20261123T1120_auth': auth,
  '20261123T1150_access_matrix': accessMatrix,
  '20261123T1130_register': register,
  '20261123T1160_directory': directory,
  '20261123T1200_onboarding': onboarding,
  '20261123T1230_register_wizard': registerWizard,
  '20261123T1240_ecps': ecps,
  '20261123T1310_bulk_import': bulkImport,
  '20261123T1320_preregistration': preregistration,
  '20261123T1330_contact_change': contactChange,
  '20261123T1410_bulk_import_requests': bulkImportRequests,
  '20261123T1430_directory_extraction': directoryExtraction,
  '20261123T1450_directory_name_search': directoryNameSearch,
  '20261123T1500_directory_search_order': directorySearchOrder,
  '20261123T1510_directory_name_statistics': directoryNameStatistics,
  '20261123T1520_directory_search_covering': directorySearchCovering,
  '20261123T1540_api_key_structure': apiKeyStructure,
  '20261204T1100_structure_scope': structureScope,
  '20261204T1400_person_name_birth_date': personNameBirthDate,
  '20261204T1300_support_cgu_contract': supportCguContract,
  '20261204T1800_bulk_import_row_person': bulkImportRowPerson,
  scale3m_20261204T2230_directory_name_words: scale3mDirectoryNameWords,
  '20261204T2230_dash_operator_aggregates': dashOperatorAggregates,
  '20261205T0230_reg_person_duplicate_probe': regPersonDuplicateProbe,
  scale3m_20261205T0220_search_name_word_order: searchNameWordOrder,
  scale3m_20261205T0600_directory_read_cache_notify: directoryReadCacheNotify,
  scale3m_20261205T0610_name_word_phrase: nameWordPhrase,
  '20261205T0240_decisions_auth_change_notify': decisionsAuthChangeNotify,
  bulk60_20261205T0500_mail_template: bulk60MailTemplate,
  reg_20261205T0600_structure_scope_notify: regStructureScopeNotify,
  '20261205T0800_access_matrix_seed_labels': accessMatrixSeedLabels,
  '20261205T1000_directory_practitioner_covering_key': directoryPractitionerCoveringKey,
};
