import { Image, View } from '@tarojs/components';

/** The Native payment's QR code, from the SVG the backend renders (never drawn from the URL in the client). */
export function QrCode({ id, svg }: { id: string; svg: string }) {
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  return (
    <View className='pay-qr' id={id}>
      <Image className='pay-qr__image' src={src} mode='aspectFit' />
    </View>
  );
}
