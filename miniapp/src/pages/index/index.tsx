import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { BigButton } from '../../components/BigButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { getPrincipal, getToken, takeNotice } from '../../api/session';
import { ROUTES, homeFor, open, relaunch } from '../../api/routes';
import './index.css';

export default function IndexPage() {
  const [notice, setNotice] = useState<string>();

  useDidShow(() => {
    setNotice(takeNotice());
    const principal = getPrincipal();
    if (getToken() && principal && (principal.role === 'learner' || principal.role === 'enterprise')) {
      relaunch(principal.mustChangePassword ? ROUTES.changePassword : homeFor(principal.role));
    }
  });

  return (
    <View className='page index-page'>
      <View className='index-hero'>
        <Text className='index-hero__title'>继续教育</Text>
        <Text className='index-hero__text'>建筑施工企业安管人员、特种作业人员、现场专业人员证书继续教育</Text>
      </View>
      <ErrorBanner message={notice} kind='info' />
      <View className='index-actions'>
        <BigButton id='entry-learner' onClick={() => open(ROUTES.learnerLogin)}>
          我是学员
        </BigButton>
        <Text className='index-actions__hint'>持证人员：微信登录后学习、考试</Text>
        <BigButton id='entry-enterprise' kind='secondary' onClick={() => open(ROUTES.enterpriseLogin)}>
          我是企业
        </BigButton>
        <Text className='index-actions__hint'>企业：查看员工证书、为员工报名</Text>
        <BigButton id='entry-certificate-query' kind='secondary' onClick={() => open(ROUTES.certificateQuery)}>
          证书查询
        </BigButton>
        <Text className='index-actions__hint'>任何人：查询证书是否有效</Text>
      </View>
    </View>
  );
}
