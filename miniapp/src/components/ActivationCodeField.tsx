import { Field } from './Field';

/** The enterprise-issued activation code: 10 characters; spaces, dashes and lower case are accepted as typed. */
export function ActivationCodeField(props: { value: string; onChange(value: string): void; error?: string; hint?: string }) {
  return (
    <Field
      id='activationCode'
      label='激活码'
      value={props.value}
      onChange={props.onChange}
      maxlength={20}
      placeholder='10位激活码'
      hint={props.hint}
      error={props.error}
    />
  );
}
