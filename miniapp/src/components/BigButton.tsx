import { Button } from '@tarojs/components';
import './ui.css';

export interface BigButtonProps {
  id: string;
  children: string;
  onClick(): void;
  kind?: 'primary' | 'secondary' | 'plain';
  loading?: boolean;
  disabled?: boolean;
  className?: string;
}

export function BigButton({ id, children, onClick, kind = 'primary', loading, disabled, className = '' }: BigButtonProps) {
  return (
    <Button
      id={id}
      className={`big-button big-button--${kind} ${disabled || loading ? 'big-button--disabled' : ''} ${className}`}
      // No `disabled` attribute: Taro H5 keeps greying text under [disabled] even after it turns false.
      aria-disabled={disabled || loading ? 'true' : 'false'}
      onClick={() => {
        if (!disabled && !loading) onClick();
      }}
    >
      {loading ? '请稍候…' : children}
    </Button>
  );
}
