import { createBrowserRouter } from 'react-router-dom';
import { RequireSignIn } from '../features/auth/RequireSignIn.tsx';
import { HomePage } from '../features/home/HomePage.tsx';
import { Layout } from './Layout.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { RequireRole } from './RequireRole.tsx';
import { paths } from './routes.ts';
import { lazyPage } from './lazyPage.ts';

// Route-based code splitting: each page is its own chunk, loaded when first visited.
const OrphansPage = lazyPage(() => import('../features/onboarding/OrphansPage.tsx'), 'OrphansPage');
const SituationReportPage = lazyPage(() => import('../features/register/SituationReportPage.tsx'), 'SituationReportPage');
const ContactPage = lazyPage(() => import('../features/help/ContactPage.tsx'), 'ContactPage');
const CguPage = lazyPage(() => import('../features/help/CguPage.tsx'), 'CguPage');
const HelpAudiencePage = lazyPage(() => import('../features/help/HelpAudiencePage.tsx'), 'HelpAudiencePage');
const HelpPage = lazyPage(() => import('../features/help/HelpPage.tsx'), 'HelpPage');
const SupportBackOfficePage = lazyPage(() => import('../features/help/SupportBackOfficePage.tsx'), 'SupportBackOfficePage');
const AccessMatrixPage = lazyPage(() => import('../features/access/AccessMatrixPage.tsx'), 'AccessMatrixPage');
const MySpacePage = lazyPage(() => import('../features/auth/MySpacePage.tsx'), 'MySpacePage');
const EcpsActivationPage = lazyPage(() => import('../features/my-access/EcpsActivationPage.tsx'), 'EcpsActivationPage');
const MyAccessPage = lazyPage(() => import('../features/my-access/MyAccessPage.tsx'), 'MyAccessPage');
const SignedOutPage = lazyPage(() => import('../features/auth/SignedOutPage.tsx'), 'SignedOutPage');
const SignInErrorPage = lazyPage(() => import('../features/auth/SignInErrorPage.tsx'), 'SignInErrorPage');
const SignInPage = lazyPage(() => import('../features/auth/SignInPage.tsx'), 'SignInPage');
const DirectoryCardPage = lazyPage(() => import('../features/directory/DirectoryCardPage.tsx'), 'DirectoryCardPage');
const DirectorySearchPage = lazyPage(() => import('../features/directory/DirectorySearchPage.tsx'), 'DirectorySearchPage');
const ContractRequestPage = lazyPage(() => import('../features/onboarding/ContractRequestPage.tsx'), 'ContractRequestPage');
const ContractsBackOfficePage = lazyPage(() => import('../features/onboarding/ContractsBackOfficePage.tsx'), 'ContractsBackOfficePage');
const HabilitationsPage = lazyPage(() => import('../features/onboarding/HabilitationsPage.tsx'), 'HabilitationsPage');
const AccessibilityPage = lazyPage(() => import('../features/legal/AccessibilityPage.tsx'), 'AccessibilityPage');
const LegalNoticePage = lazyPage(() => import('../features/legal/LegalNoticePage.tsx'), 'LegalNoticePage');
const PersonalDataPage = lazyPage(() => import('../features/legal/PersonalDataPage.tsx'), 'PersonalDataPage');
const SitemapPage = lazyPage(() => import('../features/legal/SitemapPage.tsx'), 'SitemapPage');
const StructureDetailPage = lazyPage(() => import('../features/structures/StructureDetailPage.tsx'), 'StructureDetailPage');
const StructureSearchPage = lazyPage(() => import('../features/structures/StructureSearchPage.tsx'), 'StructureSearchPage');
const BulkImportPage = lazyPage(() => import('../features/bulk-import/BulkImportPage.tsx'), 'BulkImportPage');
const DashboardPage = lazyPage(() => import('../features/dashboard/DashboardPage.tsx'), 'DashboardPage');
const OperatorDashboardPage = lazyPage(() => import('../features/dashboard/OperatorDashboardPage.tsx'), 'OperatorDashboardPage');
const AddSituationPage = lazyPage(() => import('../features/register/AddSituationPage.tsx'), 'AddSituationPage');
const IdentityReviewsPage = lazyPage(() => import('../features/register/IdentityReviewsPage.tsx'), 'IdentityReviewsPage');
const ProfessionalPage = lazyPage(() => import('../features/register/ProfessionalPage.tsx'), 'ProfessionalPage');
const ProfessionalsPage = lazyPage(() => import('../features/register/ProfessionalsPage.tsx'), 'ProfessionalsPage');
const RegisterWizardPage = lazyPage(() => import('../features/register/RegisterWizardPage.tsx'), 'RegisterWizardPage');
const MyRecordPage = lazyPage(() => import('../features/my-record/MyRecordPage.tsx'), 'MyRecordPage');
const DecisionPage = lazyPage(() => import('../features/preregistration/DecisionPage.tsx'), 'DecisionPage');
const PreregistrationPage = lazyPage(() => import('../features/preregistration/PreregistrationPage.tsx'), 'PreregistrationPage');
const QueuePage = lazyPage(() => import('../features/preregistration/QueuePage.tsx'), 'QueuePage');

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: paths.home, element: <HomePage /> },
      { path: paths.structures, element: <StructureSearchPage /> },
      { path: `${paths.structures}/:finess`, element: <StructureDetailPage /> },
      { path: paths.directory, element: <DirectorySearchPage /> },
      { path: `${paths.directory}/:rpps`, element: <DirectoryCardPage /> },
      { path: paths.accessMatrix, element: <AccessMatrixPage /> },
      { path: paths.legalNotice, element: <LegalNoticePage /> },
      { path: paths.personalData, element: <PersonalDataPage /> },
      { path: paths.accessibility, element: <AccessibilityPage /> },
      { path: paths.sitemap, element: <SitemapPage /> },
      { path: paths.signIn, element: <SignInPage /> },
      { path: paths.signInError, element: <SignInErrorPage /> },
      { path: paths.signedOut, element: <SignedOutPage /> },
      { path: paths.contractRequest, element: <ContractRequestPage /> },
      { path: paths.myAccess, element: <MyAccessPage /> },
      { path: paths.ecpsActivation, element: <EcpsActivationPage /> },
      { path: paths.preregistration, element: <PreregistrationPage /> },
      {
        element: <RequireSignIn />,
        children: [
          { path: paths.mySpace, element: <MySpacePage /> },
          { path: paths.backOfficeContracts, element: <ContractsBackOfficePage /> },
          { path: '/habilitations/:ejFiness', element: <HabilitationsPage /> },
          {
            element: <RequireRole audience="registers" />,
            children: [
              { path: paths.professionals, element: <ProfessionalsPage /> },
              { path: paths.registerProfessional, element: <RegisterWizardPage /> },
              { path: paths.addSituation, element: <AddSituationPage /> },
              { path: paths.bulkImport, element: <BulkImportPage /> },
              { path: `${paths.professionals}/:rpps`, element: <ProfessionalPage /> },
              { path: paths.preregistrationQueue, element: <QueuePage /> },
              { path: `${paths.preregistrationQueue}/:id`, element: <DecisionPage /> },
            ],
          },
          {
            element: <RequireRole audience="operator" />,
            children: [
              { path: paths.operatorDashboard, element: <OperatorDashboardPage /> },
              { path: paths.identityReviews, element: <IdentityReviewsPage /> },
            ],
          },
          { path: paths.dashboard, element: <DashboardPage /> },
          { path: paths.myRecord, element: <MyRecordPage /> },
          { path: paths.backOfficeSupport, element: <SupportBackOfficePage /> },
          { path: paths.backOfficeOrphans, element: <OrphansPage /> },
        ],
      },
      { path: `${paths.situationReport}/:token`, element: <SituationReportPage /> },
      { path: paths.help, element: <HelpPage /> },
      { path: paths.helpContact, element: <ContactPage /> },
      { path: paths.cgu, element: <CguPage /> },
      { path: '/aide/:slug', element: <HelpAudiencePage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
