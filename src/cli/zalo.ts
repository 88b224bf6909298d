import path from 'node:path';
import { unlink } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loginWithQr, QrLoginEnded, writeCredentials, type QrEvent, type ZaloCredentials } from '../transports/zalo-api.ts';
import { UsageError, type CliCommand } from './io.ts';
import { rawSetting } from '../config.ts';

export type QrLogin = (
  qrPath: string,
  onQr: (event: QrEvent) => void | Promise<void>,
) => Promise<{ credentials: ZaloCredentials; accountId: string }>;

/**
 * `zalo login [--qr FILE]`: logs the bot's Zalo account in with a QR code and stores the login (cookie,
 * imei, user agent) in ZALO_CREDENTIALS_FILE, where the running bot picks it up (it watches that file when
 * its session has expired). The QR is written as a PNG (no terminal QR printer is installed): open it and
 * scan it with the Zalo app of the bot's phone. Progress goes to stderr; stdout carries the result only. Run
 * it on the server that runs the bot: Zalo binds the login to the user agent and IP address. A decline on the
 * phone or codes that all expired end it with exit 1 (UsageError), a failure of Zalo with exit 2.
 */
export function makeZaloCommand(deps: { login?: QrLogin; env?: NodeJS.ProcessEnv; progress?: (line: string) => void } = {}): CliCommand {
  return {
    usage: 'zalo login [--qr TỆP_ẢNH.png]',
    summary: 'đăng nhập tài khoản Zalo của bot bằng mã QR',
    options: [['--qr TỆP.png', 'nơi lưu ảnh mã QR (mặc định: zalo-qr.png cạnh ZALO_CREDENTIALS_FILE)']],
    notes: ['Cần ZALO_CREDENTIALS_FILE trong .env: thông tin đăng nhập được lưu vào đó cho bot dùng.'],
    async run(args) {
      const { values, positionals } = parseArgs({ args, options: { qr: { type: 'string' } }, allowPositionals: true });
      if (positionals[0] !== 'login' || positionals.length !== 1) {
        throw new UsageError('Lệnh zalo cần đúng một việc: "zalo login [--qr tệp.png]" để đăng nhập tài khoản Zalo của bot bằng mã QR.');
      }
      const file = deps.env ? deps.env.ZALO_CREDENTIALS_FILE?.trim() : rawSetting('ZALO_CREDENTIALS_FILE');
      if (!file) {
        throw new UsageError('Chưa đặt biến môi trường ZALO_CREDENTIALS_FILE (nơi lưu thông tin đăng nhập Zalo), ví dụ ZALO_CREDENTIALS_FILE=./data/zalo.json trong tệp .env.');
      }
      const qrPath = values.qr ?? path.join(path.dirname(file), 'zalo-qr.png');
      if (!/\.png$/i.test(qrPath)) throw new UsageError(`--qr "${qrPath}": tệp mã QR phải có đuôi .png`);
      const progress = deps.progress ?? ((line: string) => void process.stderr.write(`${line}\n`));
      const login = deps.login ?? loginWithQr;
      progress(SAME_SERVER);
      progress('Đang lấy mã QR đăng nhập Zalo...');
      let result: Awaited<ReturnType<QrLogin>>;
      try {
        result = await login(qrPath, (event) => progress(qrMessage(event)));
      } catch (error) {
        if (error instanceof QrLoginEnded) {
          const reason = error.reason === 'declined' ? 'đăng nhập bị từ chối trên điện thoại' : 'mã QR hết hạn mà chưa được quét';
          throw new UsageError(`Không đăng nhập được Zalo: ${reason}. Chạy lại "nhacviec zalo login" khi sẵn sàng quét mã.`);
        }
        throw new Error(`Không đăng nhập được Zalo: ${error instanceof Error ? error.message : String(error)}. Chạy lại "nhacviec zalo login" sau ít phút.`);
      }
      const { credentials, accountId } = result;
      await writeCredentials(file, credentials);
      await unlink(qrPath).catch(() => {});
      return {
        json: { account: accountId, credentialsFile: file },
        text: [
          `Đã đăng nhập Zalo: tài khoản ${accountId}.`,
          `Thông tin đăng nhập đã lưu vào ${file} (chỉ người chạy bot đọc được; đừng chia sẻ tệp này).`,
          'Lưu ý: không mở Zalo Web hay Zalo PC (máy tính) bằng tài khoản này và chỉ chạy một bản bot cho mỗi tài khoản, nếu không bot sẽ bị đẩy ra.',
          SAME_SERVER,
        ].join('\n'),
      };
    },
  };
}

/** zca-js's maintainers: Zalo binds the cookies to the user agent and the IP address they were issued to. */
const SAME_SERVER =
  'Chạy lệnh này trên chính máy chủ chạy bot: Zalo gắn phiên đăng nhập với trình duyệt (user agent) và địa chỉ IP của máy đăng nhập; đăng nhập ở máy khác rồi chép tệp sang thì bot có thể bị từ chối.';

function qrMessage(event: QrEvent): string {
  switch (event.kind) {
    case 'generated':
      return `Mã QR đã lưu vào ${path.resolve(event.path)}. Mở ảnh này và quét bằng ứng dụng Zalo trên điện thoại của tài khoản bot (biểu tượng quét mã QR), rồi bấm xác nhận đăng nhập.`;
    case 'scanned':
      return `Đã quét mã (${event.name}); hãy bấm xác nhận đăng nhập trên điện thoại.`;
    case 'expired':
      return event.retrying ? 'Mã QR đã hết hạn; đang tạo mã mới...' : 'Mã QR đã hết hạn nhiều lần; dừng đăng nhập. Chạy lại lệnh khi sẵn sàng quét.';
    case 'declined':
      return 'Đăng nhập đã bị từ chối trên điện thoại; dừng đăng nhập.';
  }
}

export const zalo: CliCommand = makeZaloCommand();
