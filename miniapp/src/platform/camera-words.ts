/** What the camera's problems say to the learner (both platforms). */
export const CAMERA_REFUSED = '没有相机权限，无法拍照。请点下方“去设置打开相机”，允许使用摄像头后再回来拍照。';
export const CAMERA_FAILED = '相机无法使用。请关闭其他正在使用相机的程序，或退出后重新进入本页再试。';
export const CAMERA_BROWSER_REFUSED = '浏览器没有允许使用摄像头。请在地址栏旁的权限设置中允许摄像头，然后刷新本页。';
