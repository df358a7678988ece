import { BigButton } from '../../components/BigButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { STUDY_ROUTES, openStudy } from '../routes';

const GO_TO: Record<'consent' | 'avatar', string> = { consent: '去阅读授权', avatar: '去上传头像' };

/** Another step has to come first: says why, with the big button that goes there (ids `<page>-needs-<step>`, `<page>-to-<step>`). */
export function StepFirst({ page, step, message }: { page: string; step: keyof typeof GO_TO; message: string }) {
  return (
    <>
      <ErrorBanner id={`${page}-needs-${step}`} kind='warning' message={message} />
      <BigButton id={`${page}-to-${step}`} onClick={() => openStudy(STUDY_ROUTES[step])}>
        {GO_TO[step]}
      </BigButton>
    </>
  );
}
