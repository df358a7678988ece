import { Text, View } from '@tarojs/components';
import type { AttemptResult } from '@ce/types';
import { KeyValue } from '../../components/KeyValue';
import { chinaDateTime } from '../../utils/format';

/** An attempt's result as the server graded it. */
export function ResultCard({ id, result }: { id: string; result: AttemptResult }) {
  return (
    <View className={`card result ${result.passed ? 'result--passed' : 'result--failed'}`} id={id}>
      <Text className='result__verdict' id={`${id}-verdict`}>
        {result.passed ? '考试通过' : '未通过'}
      </Text>
      <Text className='result__score' id={`${id}-score`}>{`${result.score} 分`}</Text>
      <Text className='result__marks'>{`满分 ${result.fullMarks} 分，${result.passMark} 分及格`}</Text>
      <KeyValue label='答对'>{`${result.correctCount} / ${result.questionCount} 题`}</KeyValue>
      <KeyValue label='交卷方式'>{result.endedByLabel}</KeyValue>
      <KeyValue label='交卷时间'>{chinaDateTime(result.finishedAt)}</KeyValue>
    </View>
  );
}
