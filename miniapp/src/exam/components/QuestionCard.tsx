import { Text, View } from '@tarojs/components';
import { QUESTION_TYPE_LABELS, type AttemptView } from '@ce/types';

type Question = AttemptView['questions'][number];

const HOW_TO: Record<Question['type'], string> = {
  SINGLE: '只有一个正确答案，点一下选择',
  MULTIPLE: '有两个或以上正确答案，可选多项，再点一下取消',
  JUDGE: '判断对错，点一下选择',
};

/** The next answer after tapping `key`: one choice for single and judge questions, a toggled set for multiple. */
export function toggled(question: Question, answer: string[], key: string): string[] {
  if (question.type !== 'MULTIPLE') return [key];
  const next = answer.includes(key) ? answer.filter((k) => k !== key) : [...answer, key];
  return question.options.map((o) => o.key).filter((k) => next.includes(k));
}

/** One question with big option rows; a tap changes the answer (the page saves it at once). */
export function QuestionCard({ question, answer, onAnswer, disabled }: { question: Question; answer: string[]; onAnswer(answer: string[]): void; disabled: boolean }) {
  return (
    <View className='card question' id={`question-${question.no}`}>
      <Text className='question__meta'>{`第 ${question.no} 题 · ${QUESTION_TYPE_LABELS[question.type]} · ${question.points} 分`}</Text>
      <Text className='question__stem' id='question-stem'>
        {question.stem}
      </Text>
      <Text className='question__how'>{HOW_TO[question.type]}</Text>
      {question.options.map((o) => {
        const chosen = answer.includes(o.key);
        return (
          <View
            key={o.key}
            id={`option-${o.key}`}
            className={`option ${chosen ? 'option--chosen' : ''} ${question.type === 'MULTIPLE' ? 'option--multi' : ''}`}
            onClick={() => {
              if (!disabled) onAnswer(toggled(question, answer, o.key));
            }}
          >
            <Text className='option__mark'>{chosen ? '✓' : ''}</Text>
            <Text className='option__key'>{question.type === 'JUDGE' ? '' : `${o.key}.`}</Text>
            <Text className='option__text'>{o.text}</Text>
          </View>
        );
      })}
    </View>
  );
}
