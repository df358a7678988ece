import { Text, View } from '@tarojs/components';
import './ui.css';

export interface ChipOption {
  value: string;
  label: string;
  count?: number;
}

/**
 * Large tappable choices, used instead of pickers for short lists (provinces, classes, filters).
 * `layout`: wrapping chips (default), one per line (`vertical`), or one row of equal parts (`segmented`).
 */
export function Chips({ id, options, value, onChange, layout }: { id: string; options: ChipOption[]; value: string; onChange(value: string): void; layout?: 'vertical' | 'segmented' }) {
  return (
    <View className={`chips ${layout ? `chips--${layout}` : ''}`} id={id}>
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
