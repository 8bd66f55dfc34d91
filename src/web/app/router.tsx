import { createBrowserRouter } from 'react-router-dom';
import { AccessMatrixPage } from '../features/access/AccessMatrixPage.tsx';
import { RequireSignIn } from '../features/auth/RequireSignIn.tsx';
import { MySpacePage } from '../features/auth/MySpacePage.tsx';
import { EcpsActivationPage } from '../features/my-access/EcpsActivationPage.tsx';
import { MyAccessPage } from '../features/my-access/MyAccessPage.tsx';
import { SignedOutPage } from '../features/auth/SignedOutPage.tsx';
import { SignInErrorPage } from '../features/auth/SignInErrorPage.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { DirectoryCardPage } from '../features/directory/DirectoryCardPage.tsx';
import { DirectorySearchPage } from '../features/directory/DirectorySearchPage.tsx';
import { HomePage } from '../features/home/HomePage.tsx';
import { ContractRequestPage } from '../features/onboarding/ContractRequestPage.tsx';
import { ContractsBackOfficePage } from '../features/onboarding/ContractsBackOfficePage.tsx';
import { HabilitationsPage } from '../features/onboarding/HabilitationsPage.tsx';
import { OrphansPage } from '../features/onboarding/OrphansPage.tsx';
import { AccessibilityPage } from '../features/legal/AccessibilityPage.tsx';
import { LegalNoticePage } from '../features/legal/LegalNoticePage.tsx';
import { PersonalDataPage } from '../features/legal/PersonalDataPage.tsx';
import { SitemapPage } from '../features/legal/SitemapPage.tsx';
import { StructureDetailPage } from '../features/structures/StructureDetailPage.tsx';
import { StructureSearchPage } from '../features/structures/StructureSearchPage.tsx';
import { BulkImportPage } from '../features/bulk-import/BulkImportPage.tsx';
import { DashboardPage } from '../features/dashboard/DashboardPage.tsx';
import { OperatorDashboardPage } from '../features/dashboard/OperatorDashboardPage.tsx';
import { AddSituationPage } from '../features/register/AddSituationPage.tsx';
import { IdentityReviewsPage } from '../features/register/IdentityReviewsPage.tsx';
import { ProfessionalPage } from '../features/register/ProfessionalPage.tsx';
import { ProfessionalsPage } from '../features/register/ProfessionalsPage.tsx';
import { RegisterWizardPage } from '../features/register/RegisterWizardPage.tsx';
import { SituationReportPage } from '../features/register/SituationReportPage.tsx';
import { MyRecordPage } from '../features/my-record/MyRecordPage.tsx';
import { DecisionPage } from '../features/preregistration/DecisionPage.tsx';
import { PreregistrationPage } from '../features/preregistration/PreregistrationPage.tsx';
import { QueuePage } from '../features/preregistration/QueuePage.tsx';
import { ContactPage } from '../features/help/ContactPage.tsx';
import { CguPage } from '../features/help/CguPage.tsx';
import { HelpAudiencePage } from '../features/help/HelpAudiencePage.tsx';
import { HelpPage } from '../features/help/HelpPage.tsx';
import { SupportBackOfficePage } from '../features/help/SupportBackOfficePage.tsx';
import { Layout } from './Layout.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { paths } from './routes.ts';

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
          { path: paths.professionals, element: <ProfessionalsPage /> },
          { path: paths.registerProfessional, element: <RegisterWizardPage /> },
          { path: paths.addSituation, element: <AddSituationPage /> },
          { path: paths.bulkImport, element: <BulkImportPage /> },
          { path: paths.dashboard, element: <DashboardPage /> },
          { path: paths.operatorDashboard, element: <OperatorDashboardPage /> },
          { path: `${paths.professionals}/:rpps`, element: <ProfessionalPage /> },
          { path: paths.identityReviews, element: <IdentityReviewsPage /> },
          { path: paths.preregistrationQueue, element: <QueuePage /> },
          { path: `${paths.preregistrationQueue}/:id`, element: <DecisionPage /> },
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
