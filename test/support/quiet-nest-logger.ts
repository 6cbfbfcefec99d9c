import { Logger } from '@nestjs/common';

// Services constructed outside an app log through Nest's static logger; keep test output readable.
Logger.overrideLogger(['fatal']);
