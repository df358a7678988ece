import { Input, Text, View } from '@tarojs/components';
import './ui.css';

export interface FieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  hint?: string;
  placeholder?: string;
  password?: boolean;
  type?: 'text' | 'idcard' | 'number';
  maxlength?: number;
}

/** A labelled input with its hint and the server's (or our own) error message right under it. */
export function Field(props: FieldProps) {
  const { id, label, value, onChange, error, hint, placeholder, password, type = 'text', maxlength = 100 } = props;
  return (
    <View className={`field ${error ? 'field--error' : ''}`} id={`field-${id}`}>
      <Text className='field__label'>{label}</Text>
      <Input
        id={id}
        className='field__input'
        value={value}
        password={password}
        type={type}
        maxlength={maxlength}
        placeholder={placeholder}
        placeholderClass='field__placeholder'
        onInput={(e) => onChange(e.detail.value)}
      />
      {hint && !error ? <Text className='field__hint'>{hint}</Text> : null}
      {error ? (
        <Text className='field__error' id={`error-${id}`}>
          {error}
        </Text>
      ) : null}
    </View>
  );
}
