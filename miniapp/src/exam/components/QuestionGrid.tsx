import { Text, View } from '@tarojs/components';

/** Every question's number, answered ones filled in, the current one outlined: tap one to go to it. */
export function QuestionGrid({ numbers, answered, current, onPick }: { numbers: number[]; answered: Set<number>; current: number; onPick(index: number): void }) {
  return (
    <View className='grid' id='question-grid'>
      <Text className='grid__legend'>{`已答 ${answered.size} 题，未答 ${numbers.length - answered.size} 题（蓝色为已答）`}</Text>
      <View className='grid__cells'>
        {numbers.map((no, index) => (
          <View
            key={no}
            id={`grid-${no}`}
            className={`grid__cell ${answered.has(no) ? 'grid__cell--answered' : ''} ${index === current ? 'grid__cell--current' : ''}`}
            onClick={() => onPick(index)}
          >
            <Text>{no}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
