import type { PropsWithChildren } from 'react';
import './app.css';

// Browser only: Taro's H5 toast has fixed pixel sizes; this makes it follow the text size.
if (process.env.TARO_ENV === 'h5') require('./h5.css');

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
