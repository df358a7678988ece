import { Text, View } from '@tarojs/components';
import './ui.css';

export interface ChipOption {
  value: string;
  label: string;
  count?: number;
}

/** Large tappable choices, used instead of pickers for short lists (provinces, classes, filters). */
export function Chips({ id, options, value, onChange, vertical }: { id: string; options: ChipOption[]; value: string; onChange(value: string): void; vertical?: boolean }) {
  return (
    <View className={`chips ${vertical ? 'chips--vertical' : ''}`} id={id}>
      {options.map((o) => (
        <View
          key={o.value}
          id={`${id}-${o.value || 'none'}`}
          className={`chip ${o.value === value ? 'chip--active' : ''}`}
          onClick={() => onChange(o.value)}
        >
          <Text className='chip__label'>{o.label}</Text>
          {o.count !== undefined ? <Text className='chip__count'>{o.count}</Text> : null}
        </View>
      ))}
    </View>
  );
}
